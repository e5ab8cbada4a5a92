// PMS package names: what splits into category, PN and PF, and what does not.

#include "api/cpv.h"

#include <gmock/gmock.h>
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

TEST(CheckAtomTest, AcceptsWhatEmergeTakesOnItsCommandLine) {
  for (const char* atom : {
           "dev-lang/rust",
           ">=dev-lang/rust-1.80",
           "<=dev-lang/rust-1.84.0-r1",
           "<sys-devel/gcc-15",
           ">sys-devel/gcc-13.3.1_p20241220",
           "=dev-lang/python-3.12*",
           "=dev-qt/qtwebengine-6.8.1-r2",
           "~dev-libs/openssl-3.3.3",
           "dev-lang/python:3.12",
           "dev-lang/python:3.12/3.12t",
           "dev-lang/rust::gentoo",
           "=dev-lang/python-3.12*:3.12::gentoo[sqlite,-tk]",
           "media-libs/mesa[vulkan,-llvm(+),video_cards_radeonsi(-)]",
           "x11-libs/gtk+:3",
           "virtual/perl-Scalar-List-Utils",
       }) {
    EXPECT_TRUE(CheckAtom(atom).ok()) << atom << ": " << CheckAtom(atom).message();
  }
}

TEST(CheckAtomTest, RefusesPathsBlockersAndWhatIsNoAtom) {
  struct {
    const char* atom;
    const char* message;
  } cases[] = {
      {"/etc/passwd", "expected category/package (such as dev-lang/rust), optionally with an "
                      "operator and version (>=dev-lang/rust-1.80), :slot, ::repository and "
                      "[use]"},
      {"./foo.ebuild", "category \".\" is not a category name"},
      {"foo.tbz2", "expected category/package"},
      {"rust", "expected category/package"},
      {"a/b/c", "expected category/package"},
      {"../x", "category \"..\" is not a category name: expected letters, digits and + _ . -, "
               "not starting with - . or +"},
      {"dev-lang/rust-1.80", "a version needs an operator, such as =dev-lang/rust-1.80"},
      {"dev-libs/libfoo-bar-2", "a version needs an operator, such as =dev-libs/libfoo-bar-2"},
      {">=dev-lang/rust", "the operator >= needs category/package-version, such as "
                          ">=dev-lang/rust-1.80"},
      {"=dev-lang/rust", "the operator = needs category/package-version"},
      {"~dev-lang/rust-1.80.x", "the operator ~ needs category/package-version"},
      {">=dev-lang/rust-1.80*", "'*' may end a version only after the operator '='"},
      {"dev-lang/rust*", "'*' may end a version only after the operator '='"},
      {"!dev-lang/rust", "category \"!dev-lang\" is not a category name"},
      {"!!dev-lang/rust", "category \"!!dev-lang\" is not a category name"},
      {"dev-lang/rust:=", "slot \"=\" is not a slot name: expected letters, digits and + _ . -, "
                          "optionally /subslot"},
      {"dev-lang/rust:*", "slot \"*\" is not a slot name"},
      {"dev-lang/rust:", "slot \"\" is not a slot name"},
      {"dev-lang/rust:1/", "slot \"1/\" is not a slot name"},
      {"dev-lang/rust::", "repository \"\" is not a repository name: expected letters, digits, _ "
                          "and -"},
      {"dev-lang/rust::-x", "repository \"-x\" is not a repository name"},
      {"dev-lang/rust[]", "use dependency \"\" is not flag or -flag (optionally followed by (+) "
                          "or (-))"},
      {"dev-lang/rust[foo?]", "use dependency \"foo?\" is not flag or -flag"},
      {"dev-lang/rust[!foo=]", "use dependency \"!foo=\" is not flag or -flag"},
      {"dev-lang/rust[a,,b]", "use dependency \"\" is not flag or -flag"},
      {"dev-lang/rust]", "']' without '['"},
      {"dev-lang/rust;id", "package \"rust;id\" is not a package name: expected letters, digits "
                           "and + _ -, not starting with - or +"},
      {"dev-lang/$(id)", "package \"$(id)\" is not a package name"},
      {"dev-lang/-rust", "package \"-rust\" is not a package name"},
      {"dev-lang/", "package \"\" is not a package name"},
      {"", "expected category/package"},
  };
  for (const auto& c : cases) {
    Status s = CheckAtom(c.atom);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.atom;
    EXPECT_THAT(s.message(), ::testing::HasSubstr(c.message)) << c.atom;
  }
}

TEST(CheckPackagePatternTest, TakesNamesAndSlotsWithWildcards) {
  for (const char* pattern : {"sys-devel/gcc", "gcc", "sys-devel/*", "*/*-bin", "dev-qt/*:6",
                              "dev-lang/rust:stable", "*", "x11-libs/gtk+"}) {
    EXPECT_TRUE(CheckPackagePattern(pattern).ok()) << pattern;
  }
  for (const char* pattern :
       {"", "-gcc", "/etc/passwd", "../x", ">=dev-lang/rust-1", "=sys-devel/gcc-14*",
        "dev-lang/rust::gentoo", "dev-lang/rust[x]", "'sys-devel/*'", "a/b/c", "dev-lang/rust:",
        "sys-devel/gcc-14.2", "--sync"}) {
    Status s = CheckPackagePattern(pattern);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << pattern;
  }
  EXPECT_EQ(CheckPackagePattern("-gcc").message(),
            "expected [category/]package[:slot] with '*' matching any characters, such as "
            "sys-devel/* or dev-lang/rust:stable");
}

}  // namespace
}  // namespace swarm::api
