// PMS package names: what splits into category, PN and PF, and what does not.

#include "api/cpv.h"

#include <gtest/gtest.h>

namespace swarm::api {
namespace {

struct CpvCase {
  const char* cpv;
  const char* category;
  const char* pn;
};

TEST(ParseCpvTest, SplitsRealPackageNames) {
  const std::vector<CpvCase> cases = {
      {"dev-libs/foo-1.2.3", "dev-libs", "foo"},
      {"app-misc/bar-1.0_rc1", "app-misc", "bar"},
      {"sys-apps/baz-2.4.1-r3", "sys-apps", "baz"},
      {"dev-vcs/git-9999", "dev-vcs", "git"},
      {"app-text/qux-1.0a", "app-text", "qux"},
      {"dev-util/cmake-3.3.3", "dev-util", "cmake"},
      {"dev-qt/qtbase-6.22.0", "dev-qt", "qtbase"},
      {"dev-qt/qt5compat-6.8.1", "dev-qt", "qt5compat"},
      {"sys-devel/gcc-14.2.1_p20241221", "sys-devel", "gcc"},
      {"dev-libs/libxml2-2.13.5", "dev-libs", "libxml2"},
      {"x11-libs/gtk+-3.24.43", "x11-libs", "gtk+"},
      {"dev-python/python-dateutil-2.9.0_p0-r1", "dev-python", "python-dateutil"},
      {"games-fps/doom3-1.3.1304", "games-fps", "doom3"},
      {"media-fonts/font-adobe-100dpi-1.0.4", "media-fonts", "font-adobe-100dpi"},
      {"dev-libs/foo-1.0_alpha1_beta2_pre_p3-r10", "dev-libs", "foo"},
      {"virtual/perl-Scalar-List-Utils-1.630.0", "virtual", "perl-Scalar-List-Utils"},
  };
  for (const CpvCase& c : cases) {
    SCOPED_TRACE(c.cpv);
    Result<Cpv> r = ParseCpv(c.cpv);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->category, c.category);
    EXPECT_EQ(r->pn, c.pn);
    EXPECT_EQ(r->pf, std::string(c.cpv).substr(std::string(c.category).size() + 1));
  }
}

TEST(ParseCpvTest, RefusesWhatIsNotACpv) {
  for (const char* bad : {
           "foo-1.0",                   // no category
           "dev-libs/foo",              // no version
           "=dev-libs/foo-1.0",         // an atom, not a cpv
           "dev-libs/foo-1.0:0",        // slot
           "dev-libs/foo-1.0::gentoo",  // repository
           "dev-libs/foo-",             // empty version
           "dev-libs/foo-1.0-r",        // revision without a number
           "dev-libs/foo-1.0_rc1a",     // letter after a suffix
           "dev-libs/foo-1.0.",         // trailing dot
           "dev-libs/foo-1.0aa",        // two letters
           "dev-libs/foo-1.0_git",      // unknown suffix
           "dev-libs/-1.0",             // empty package name
           "/foo-1.0",                  // empty category
           "a/b/c-1",                   // two slashes
           "app-text/foo-bar-1-3.3.3",  // PN "foo-bar-1" ends in a version
           "",
       }) {
    SCOPED_TRACE(bad);
    Result<Cpv> r = ParseCpv(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(CpvTest, PackageKeyIsCategoryAndName) {
  struct {
    const char* atom;
    const char* key;
  } cases[] = {
      {"dev-qt/qtwebengine-6.8.1", "dev-qt/qtwebengine"},
      {"=dev-qt/qtwebengine-6.8.1-r2", "dev-qt/qtwebengine"},
      {"sys-devel/gcc-14.2.1_p20241221-r1", "sys-devel/gcc"},
      {"dev-libs/libfoo-bar-2-1.0", "dev-libs/libfoo-bar-2"},
      {"media-libs/x264-0.0.20240314", "media-libs/x264"},
      {"app-misc/pkg-1.0_rc2_p3", "app-misc/pkg"},
      {"dev-qt/qtwebengine", "dev-qt/qtwebengine"},
      {">=dev-lang/rust-1.84.0:stable", "dev-lang/rust"},
      {"dev-lang/python:3.12", "dev-lang/python"},
  };
  for (const auto& c : cases) EXPECT_EQ(PackageKey(c.atom), c.key) << c.atom;
}

}  // namespace
}  // namespace swarm::api
