#include "node-agent/emerge_pretend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/command_runner.h"
#include "tests/node-agent/fake_portage.h"
#include "tests/support/temp_dir.h"

// Output texts follow portage's lib/_emerge/resolver/output.py: "[type attrs]",
// one space, one more space per --tree level, the package; the mask column
// makes the bracket 16 characters wide at the default verbosity and above.

namespace swarm::agent {
namespace {

using ::testing::ElementsAre;
using testing::FakePortagePath;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Deps = std::map<std::string, std::vector<std::string>>;

constexpr char kTreeHeader[] =
    "\nThese are the packages that would be merged, in reverse order:\n\n"
    "Calculating dependencies... done!\n"
    "Dependency resolution took 2.41 s (backtrack: 0/20).\n\n";

std::vector<std::string> Names(const std::vector<api::DiscoveredPackage>& pkgs) {
  std::vector<std::string> out;
  for (const auto& p : pkgs) out.push_back(p.name);
  return out;
}

Deps DepsOf(const std::vector<api::DiscoveredPackage>& pkgs) {
  Deps out;
  for (const auto& p : pkgs) out[p.name] = p.dependencies;
  return out;
}

// Every dependency is an entry of the list and comes before its dependent.
void ExpectMergeOrder(const std::vector<api::DiscoveredPackage>& pkgs) {
  std::set<std::string> before;
  for (const auto& p : pkgs) {
    for (const auto& d : p.dependencies) EXPECT_TRUE(before.count(d)) << d << " after " << p.name;
    EXPECT_TRUE(before.insert(p.name).second) << p.name << " listed twice";
  }
}

std::vector<api::DiscoveredPackage> MustParse(const std::string& output) {
  auto r = ParseEmergePretend(output);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  ExpectMergeOrder(*r);
  return *r;
}

TEST(EmergePretendTest, PlainListKeepsMergeOrderWithoutDependencies) {
  auto pkgs = MustParse(
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n"
      "[ebuild  N     ] app-shells/push-3.4 \n"
      "[ebuild  N     ] sys-libs/slang-2.3.3-r1  USE=\"pcre png readline zlib -cjk\" \n"
      "[ebuild   R    ] app-portage/gentoolkit-0.6.8 \n"
      "[ebuild  N     ] app-portage/eix-0.36.7  USE=\"nls -debug -doc -sqlite\" \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("app-shells/push-3.4", "sys-libs/slang-2.3.3-r1",
                                       "app-portage/gentoolkit-0.6.8", "app-portage/eix-0.36.7"));
  for (const auto& p : pkgs) EXPECT_THAT(p.dependencies, IsEmpty());
}

TEST(EmergePretendTest, VerboseLinesLoseSlotRepositoryUseAndSize) {
  auto pkgs = MustParse(
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n"
      "[ebuild  N     ] dev-libs/openssl-3.3.3:0/3::gentoo  USE=\"asm -test\" 15,532 KiB\n"
      "[ebuild  N     ] app-emulation/wine-vanilla-9.0:9.0::gentoo  USE=\"X alsa {-test}\" "
      "ABI_X86=\"32 (64) (-x32)\" 28,790 KiB\n"
      "[ebuild  N     ] virtual/wine-0-r10::gentoo  USE=\"-proton -staging\" 0 KiB\n"
      "\nTotal: 3 packages (3 new), Size of downloads: 44,322 KiB\n");
  EXPECT_THAT(Names(pkgs), ElementsAre("dev-libs/openssl-3.3.3", "app-emulation/wine-vanilla-9.0",
                                       "virtual/wine-0-r10"));
}

TEST(EmergePretendTest, UpgradesWithOldVersionsAndAttributeColumns) {
  auto pkgs = MustParse(
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n"
      "[ebuild     U  ] sys-apps/systemd-utils-6.22.0:0/0::gentoo [6.20.0:0/0::gentoo] "
      "USE=\"acl kmod tmpfiles udev -boot -selinux -sysusers -test (-ukify)\" 0 KiB\n"
      "[ebuild  NS    ] sys-devel/gcc-14.2.1_p20241221:14::gentoo [13.3.1_p20241220:13::gentoo] "
      "USE=\"cxx fortran (multilib) nls openmp -ada -d -go -jit -rust\" 88,012 KiB\n"
      "[ebuild   R    ] cat/pkg-1.0\n"
      "[ebuild     UD ] dev-lang/rust-bin-1.83.0:1.83.0::gentoo [1.84.0:1.84.0::gentoo] 0 KiB\n"
      "[ebuild  N    ~] dev-util/pkgdev-0.2.12::gentoo  USE=\"-doc -test\" 62 KiB\n"
      "\nTotal: 5 packages (1 upgrade, 1 downgrade, 1 in new slot, 1 new, 1 reinstall), "
      "Size of downloads: 88,074 KiB\n");
  EXPECT_THAT(Names(pkgs),
              ElementsAre("sys-apps/systemd-utils-6.22.0", "sys-devel/gcc-14.2.1_p20241221",
                          "cat/pkg-1.0", "dev-lang/rust-bin-1.83.0", "dev-util/pkgdev-0.2.12"));
}

TEST(EmergePretendTest, TreeIndentationGivesDependenciesThreeLevelsDeep) {
  auto pkgs = MustParse(
      std::string(kTreeHeader) +
      "[ebuild     U  ] kde-apps/dolphin-24.12.1:6::gentoo [24.12.0:6::gentoo] "
      "USE=\"handbook semantic-desktop -telemetry -test\" 5,212 KiB\n"
      "[ebuild     U  ]  kde-frameworks/kio-6.10.0:6::gentoo [6.9.0:6::gentoo] "
      "USE=\"handbook kwallet wayland X -acl -kerberos -test\" 3,478 KiB\n"
      "[ebuild     U  ]   kde-frameworks/kcoreaddons-6.10.0:6::gentoo [6.9.0:6::gentoo] "
      "USE=\"dbus udev -test\" 2,581 KiB\n"
      "[ebuild     U  ]    dev-qt/qtbase-6.8.1:6/6.8.1::gentoo [6.7.3:6/6.7.3::gentoo] "
      "USE=\"X dbus gui network ssl udev widgets -test\" 48,310 KiB\n"
      "[ebuild  N     ]     dev-libs/double-conversion-3.3.0:0/3::gentoo  USE=\"-test\" 158 KiB\n"
      "[ebuild     U  ]   kde-frameworks/solid-6.10.0:6::gentoo [6.9.0:6::gentoo] "
      "USE=\"-test\" 312 KiB\n"
      "[ebuild     U  ]  kde-frameworks/kxmlgui-6.10.0:6::gentoo [6.9.0:6::gentoo] "
      "USE=\"-designer -test\" 3,033 KiB\n"
      "[ebuild   R    ] app-misc/jq-1.7.1-r1::gentoo  USE=\"oniguruma -test\" 0 KiB\n"
      "\nTotal: 8 packages (6 upgrades, 1 new, 1 reinstall), Size of downloads: 63,084 KiB\n");
  EXPECT_THAT(Names(pkgs),
              ElementsAre("app-misc/jq-1.7.1-r1", "kde-frameworks/kxmlgui-6.10.0",
                          "kde-frameworks/solid-6.10.0", "dev-libs/double-conversion-3.3.0",
                          "dev-qt/qtbase-6.8.1", "kde-frameworks/kcoreaddons-6.10.0",
                          "kde-frameworks/kio-6.10.0", "kde-apps/dolphin-24.12.1"));
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps["kde-apps/dolphin-24.12.1"],
              ElementsAre("kde-frameworks/kxmlgui-6.10.0", "kde-frameworks/kio-6.10.0"));
  EXPECT_THAT(deps["kde-frameworks/kio-6.10.0"],
              ElementsAre("kde-frameworks/solid-6.10.0", "kde-frameworks/kcoreaddons-6.10.0"));
  EXPECT_THAT(deps["kde-frameworks/kcoreaddons-6.10.0"], ElementsAre("dev-qt/qtbase-6.8.1"));
  EXPECT_THAT(deps["dev-qt/qtbase-6.8.1"], ElementsAre("dev-libs/double-conversion-3.3.0"));
  EXPECT_THAT(deps["app-misc/jq-1.7.1-r1"], IsEmpty());
}

TEST(EmergePretendTest, NomergeLinesPassChildrenToTheNearestBuild) {
  auto pkgs = MustParse(
      std::string(kTreeHeader) +
      "[nomerge       ] virtual/package-manager-2::gentoo \n"
      "[nomerge       ]  sys-apps/portage-3.0.66-r1::gentoo  USE=\"(ipc) -apidoc -build -doc\" "
      "PYTHON_TARGETS=\"python3_12 -python3_13\" \n"
      "[nomerge       ]   dev-build/meson-1.6.1::gentoo  USE=\"-test -test-full -verify-sig\" \n"
      "[ebuild   R    ]    dev-python/trove-classifiers-2024.10.21.16::gentoo  USE=\"-test\" "
      "0 KiB\n"
      "[ebuild     U  ]    dev-python/setuptools-scm-8.1.0::gentoo [8.0.4::gentoo] "
      "USE=\"-test\" 42 KiB\n"
      "[ebuild     U  ] app-editors/vim-9.1.0866::gentoo [9.1.0794::gentoo] "
      "USE=\"acl crypt nls -X -lua -python\" 17,811 KiB\n"
      "[nomerge       ]  app-editors/vim-core-9.1.0794::gentoo  USE=\"acl nls -minimal\" \n"
      "[ebuild  N     ]   app-eselect/eselect-vi-1.2::gentoo  0 KiB\n");
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps, ::testing::SizeIs(4));
  EXPECT_THAT(deps["app-editors/vim-9.1.0866"], ElementsAre("app-eselect/eselect-vi-1.2"));
  EXPECT_THAT(deps["dev-python/trove-classifiers-2024.10.21.16"], IsEmpty());
  EXPECT_THAT(deps["dev-python/setuptools-scm-8.1.0"], IsEmpty());
}

// portage shows a package that is merged elsewhere in the list as a nomerge
// parent when a later dependency of it has no other place in the tree
// (_ordered_tree_display's add_parents): the children are its dependencies.
TEST(EmergePretendTest, NomergeLineOfAPackageBuiltElsewhereOwnsItsChildren) {
  auto pkgs = MustParse(std::string(kTreeHeader) +
                        "[ebuild  N     ] media-video/ffmpeg-7.1::gentoo  USE=\"x264 -vaapi\" "
                        "10,428 KiB\n"
                        "[ebuild  N     ] media-libs/libass-0.17.3::gentoo  USE=\"fontconfig\" "
                        "386 KiB\n"
                        "[nomerge       ] media-video/ffmpeg-7.1::gentoo  USE=\"x264 -vaapi\" \n"
                        "[ebuild  N     ]  media-libs/dav1d-1.5.0:0/7::gentoo  USE=\"8bit 10bit "
                        "asm\" 1,063 KiB\n");
  EXPECT_THAT(Names(pkgs), ElementsAre("media-libs/dav1d-1.5.0", "media-libs/libass-0.17.3",
                                       "media-video/ffmpeg-7.1"));
  EXPECT_THAT(DepsOf(pkgs)["media-video/ffmpeg-7.1"], ElementsAre("media-libs/dav1d-1.5.0"));
}

// With --usepkg, portage hoists a package merged from a binary to a
// top-level nomerge line over a dependency that had no other place in the
// tree: the dependency belongs to whatever build needs the binary (as real
// portage 3.0.82 printed it, tests/golden/real-portage/pretend-tree-binary-rev-2.txt).
TEST(EmergePretendTest, TopLevelNomergeOfABinaryStandsWhereTheBinaryWasPlaced) {
  auto pkgs = MustParse(std::string(kTreeHeader) +
                        "[ebuild     U  ] app-misc/suite-1.1 [1.0]\n"
                        "[nomerge       ] app-misc/suite-1.1 [1.0]\n"
                        "[binary   R    ]  net-misc/fetcher-1.0-1 \n"
                        "[binary   R    ]   net-libs/libnet-0.9-1 \n"
                        "[ebuild  N     ]  app-misc/newcomer-1.0 \n"
                        "[nomerge       ] net-libs/libnet-0.9-1 \n"
                        "[ebuild     U  ]  dev-libs/libutil-1.3 [1.2]\n"
                        "[binary   R    ] app-misc/heavy-app-1.0-1 \n"
                        "[nomerge       ] app-misc/heavy-app-1.0-1 \n"
                        "[ebuild  N     ]  sys-libs/libheavy-2.0 \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("sys-libs/libheavy-2.0", "dev-libs/libutil-1.3",
                                       "app-misc/newcomer-1.0", "app-misc/suite-1.1"));
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps["app-misc/suite-1.1"],
              ElementsAre("dev-libs/libutil-1.3", "app-misc/newcomer-1.0"));
  // A binary that no build needs passes nothing on.
  EXPECT_THAT(deps["sys-libs/libheavy-2.0"], IsEmpty());
  EXPECT_THAT(deps, ::testing::SizeIs(4));
}

TEST(EmergePretendTest, SatisfiedBlockersAndUninstallsAreStructureOnly) {
  auto pkgs = MustParse(
      std::string(kTreeHeader) +
      "[ebuild  N     ] sys-apps/man-db-2.13.0  USE=\"manpager nls seccomp zlib -selinux\" \n"
      "[blocks b      ]  sys-apps/man (\"sys-apps/man\" is blocking sys-apps/man-db-2.13.0)\n"
      "[uninstall     ]   sys-apps/man-1.6g-r2 \n"
      "[ebuild  N     ]  dev-libs/libpipeline-1.5.8  USE=\"-test\" \n"
      "[ebuild     U  ] sys-libs/glibc-2.40-r8 [2.39-r6]\n"
      "[blocks b      ]  <sys-libs/glibc-2.39-r1[crypt(+)] (\"<sys-libs/glibc-2.39-r1[crypt(+)]\" "
      "is blocking sys-libs/libxcrypt-4.4.36-r3)\n"
      "[ebuild  N     ]   sys-libs/libxcrypt-4.4.36-r3 \n");
  EXPECT_THAT(Names(pkgs),
              UnorderedElementsAre("sys-apps/man-db-2.13.0", "dev-libs/libpipeline-1.5.8",
                                   "sys-libs/glibc-2.40-r8", "sys-libs/libxcrypt-4.4.36-r3"));
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps["sys-apps/man-db-2.13.0"], ElementsAre("dev-libs/libpipeline-1.5.8"));
  EXPECT_THAT(deps["sys-libs/glibc-2.40-r8"], ElementsAre("sys-libs/libxcrypt-4.4.36-r3"));
}

TEST(EmergePretendTest, BinaryPackagesAreNotBuiltButKeepTheTree) {
  auto pkgs = MustParse(
      std::string(kTreeHeader) +
      "[binary  N     ] net-analyzer/nmap-7.95-1::gentoo  USE=\"ipv6 nse ssl -ncat -zenmap\" "
      "0 KiB\n"
      "[ebuild  N     ]  net-libs/libpcap-1.10.5::gentoo  USE=\"-bluetooth -dbus -usb\" 938 KiB\n"
      "[binary   R    ]  dev-libs/liblinear-247-1:0/6::gentoo  USE=\"-blas\" 0 KiB\n"
      "[ebuild  N     ] app-admin/sudo-1.9.16_p2-r1::gentoo  USE=\"secure-path sendmail -ldap\" "
      "5,116 KiB\n"
      "[binary  N     ]  virtual/tmpfiles-0-r5-1::gentoo  0 KiB\n"
      "[ebuild  N     ]   sys-apps/systemd-utils-255.10::gentoo  USE=\"tmpfiles udev\" 14,402 KiB\n"
      "\nTotal: 6 packages (5 new, 1 reinstall, 3 binaries), Size of downloads: 20,456 KiB\n");
  EXPECT_THAT(Names(pkgs), ElementsAre("sys-apps/systemd-utils-255.10",
                                       "app-admin/sudo-1.9.16_p2-r1", "net-libs/libpcap-1.10.5"));
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps["app-admin/sudo-1.9.16_p2-r1"], ElementsAre("sys-apps/systemd-utils-255.10"));
  EXPECT_THAT(deps["net-libs/libpcap-1.10.5"], IsEmpty());
}

TEST(EmergePretendTest, RepeatedPackagesAreListedOnceWithTheUnionOfTheirDependencies) {
  auto pkgs = MustParse(std::string(kTreeHeader) +
                        "[ebuild  N     ] media-gfx/gimp-3.0.0 \n"
                        "[ebuild  N     ]  media-libs/babl-0.1.110 \n"
                        "[ebuild  N     ]   dev-libs/json-glib-1.10.6 \n"
                        "[ebuild  N     ] media-gfx/darktable-5.0.0 \n"
                        "[ebuild  N     ]  media-libs/babl-0.1.110 \n"
                        "[ebuild  N     ]   media-libs/lcms-2.16-r1 \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("media-libs/lcms-2.16-r1", "dev-libs/json-glib-1.10.6",
                                       "media-libs/babl-0.1.110", "media-gfx/darktable-5.0.0",
                                       "media-gfx/gimp-3.0.0"));
  Deps deps = DepsOf(pkgs);
  EXPECT_THAT(deps["media-libs/babl-0.1.110"],
              ElementsAre("media-libs/lcms-2.16-r1", "dev-libs/json-glib-1.10.6"));
  EXPECT_THAT(deps["media-gfx/gimp-3.0.0"], ElementsAre("media-libs/babl-0.1.110"));
  EXPECT_THAT(deps["media-gfx/darktable-5.0.0"], ElementsAre("media-libs/babl-0.1.110"));
}

TEST(EmergePretendTest, RepeatsThatReorderTheListStillPutDependenciesFirst) {
  auto pkgs = MustParse(std::string(kTreeHeader) +
                        "[ebuild  N     ] dev-libs/glib-2.82.4 \n"
                        "[ebuild  N     ]  dev-libs/libffi-3.4.6 \n"
                        "[ebuild  N     ] x11-libs/gtk+-3.24.43 \n"
                        "[ebuild  N     ]  dev-libs/glib-2.82.4 \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("dev-libs/libffi-3.4.6", "dev-libs/glib-2.82.4",
                                       "x11-libs/gtk+-3.24.43"));
}

TEST(EmergePretendTest, DependencyCyclesAreBrokenNotFatal) {
  auto pkgs = MustParse(std::string(kTreeHeader) +
                        "[ebuild  N     ] dev-python/setuptools-75.6.0 \n"
                        "[ebuild  N     ]  dev-python/wheel-0.45.1 \n"
                        "[ebuild  N     ] dev-python/wheel-0.45.1 \n"
                        "[ebuild  N     ]  dev-python/setuptools-75.6.0 \n");
  EXPECT_THAT(Names(pkgs),
              UnorderedElementsAre("dev-python/setuptools-75.6.0", "dev-python/wheel-0.45.1"));
}

// "cat/p<k>-1": the k-th package of a chain in the tests below.
std::string ChainPackage(int k) { return "cat/p" + std::to_string(k) + "-1"; }

// Each package depends on the next: p0 on p1, p1 on p2, ... A nomerge line
// of a package built elsewhere owns the lines below it, so the chain costs a
// few lines per link, however deep it is.
TEST(EmergePretendTest, AHundredThousandDeepChainParsesWithoutRecursion) {
  constexpr int kDepth = 100'000;
  std::string out =
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n"
      "[ebuild  N     ] " +
      ChainPackage(0) + " \n";
  for (int k = 1; k < kDepth; ++k) {
    out += "[ebuild  N     ]  " + ChainPackage(k) + " \n";
    out += "[nomerge       ] " + ChainPackage(k) + " \n";
  }
  auto pkgs = MustParse(out);
  ASSERT_EQ(pkgs.size(), size_t(kDepth));
  EXPECT_EQ(pkgs.front().name, ChainPackage(kDepth - 1));
  EXPECT_THAT(pkgs.front().dependencies, IsEmpty());
  for (int i = 1; i < kDepth; ++i) {
    ASSERT_EQ(pkgs[i].name, ChainPackage(kDepth - 1 - i));
    ASSERT_THAT(pkgs[i].dependencies, ElementsAre(ChainPackage(kDepth - i)));
  }
}

// The same shape through indentation alone, one more space per level. Its
// text grows with the square of the depth, so it stays shallower.
TEST(EmergePretendTest, DeepTreeIndentationGivesAChain) {
  constexpr int kDepth = 3'000;
  std::string out = kTreeHeader;
  for (int k = 0; k < kDepth; ++k) {
    out += "[ebuild  N     ] " + std::string(k, ' ') + ChainPackage(k) + " \n";
  }
  auto pkgs = MustParse(out);
  ASSERT_EQ(pkgs.size(), size_t(kDepth));
  for (int i = 0; i < kDepth; ++i) {
    ASSERT_EQ(pkgs[i].name, ChainPackage(kDepth - 1 - i));
    if (i > 0) ASSERT_THAT(pkgs[i].dependencies, ElementsAre(ChainPackage(kDepth - i)));
  }
}

TEST(EmergePretendTest, ColourCodesAreIgnored) {
  auto pkgs = MustParse(
      "\x1b[32;01mThese are the packages that would be merged, in order:\x1b[39;49;00m\n"
      "[\x1b[32;01mebuild\x1b[0m  \x1b[32;01mN\x1b[0m     ] "
      "\x1b[32;01mdev-libs/openssl-3.3.3\x1b[0m \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("dev-libs/openssl-3.3.3"));
}

TEST(EmergePretendTest, EmptyMergeListsAreValidQueues) {
  const std::vector<std::string> outputs = {
      // --verbose
      "\nThese are the packages that would be merged, in reverse order:\n\n"
      "Calculating dependencies... done!\n"
      "Dependency resolution took 0.97 s (backtrack: 0/20).\n\n"
      "Total: 0 packages, Size of downloads: 0 KiB\n",
      // without --verbose emerge prints no Total line
      "\nThese are the packages that would be merged, in reverse order:\n\n"
      "Calculating dependencies  ... done!\n",
      "\nNothing to merge; quitting.\n\n",
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n\n"
      "Total: 0 packages, Size of downloads: 0 KiB\n\n"
      "WARNING: One or more updates/rebuilds have been skipped due to a dependency conflict:\n\n"
      "media-gfx/qrencode:0\n",
  };
  for (const std::string& out : outputs) {
    auto r = ParseEmergePretend(out);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << out;
    EXPECT_THAT(*r, IsEmpty());
  }
}

void ExpectRefused(const std::string& output, const std::string& message) {
  auto r = ParseEmergePretend(output);
  ASSERT_FALSE(r.ok()) << output;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(message));
}

constexpr char kSlotConflictPretend[] =
    "\n!!! Multiple package instances within a single package slot have been pulled\n"
    "!!! into the dependency graph, resulting in a slot conflict:\n\n"
    "dev-qt/qtbase:6\n\n"
    "  (dev-qt/qtbase-6.8.1:6/6.8.1::gentoo, ebuild scheduled for merge) USE=\"X gui\" "
    "pulled in by\n"
    "    ~dev-qt/qtbase-6.8.1:6 required by (dev-qt/qtwebengine-6.8.1:6/6.8.1::gentoo, "
    "ebuild scheduled for merge) USE=\"widgets\"\n"
    "    ^              ^^^^^\n\n"
    "  (dev-qt/qtbase-6.7.3:6/6.7.3::gentoo, installed) USE=\"X gui\" pulled in by\n"
    "    =dev-qt/qtbase-6.7.3* required by (dev-qt/qtsvg-6.7.3:6/6.7.3::gentoo, installed)\n"
    "    ^             ^^^^^^\n\n"
    "It may be possible to solve this problem by using package.mask to\n"
    "prevent one of those packages from being selected.\n";

TEST(EmergePretendTest, SlotConflictIsAnError) {
  ExpectRefused(std::string(kTreeHeader) + kSlotConflictPretend, "Multiple package instances");
  ExpectRefused(std::string(kTreeHeader) + "[ebuild     U  ] dev-qt/qtwebengine-6.8.1 [6.7.3]\n" +
                    kSlotConflictPretend,
                "Multiple package instances");
}

TEST(EmergePretendTest, UnresolvableTargetsAndUnsatisfiedBlockersAreErrors) {
  ExpectRefused(
      "\nThese are the packages that would be merged, in order:\n\n"
      "Calculating dependencies... done!\n\n"
      "emerge: there are no ebuilds to satisfy \"dev-python/pysqlite:2\".\n",
      "no ebuilds to satisfy");
  ExpectRefused(std::string(kTreeHeader) +
                    "[ebuild  N     ] sys-apps/man-db-2.13.0 \n"
                    "[blocks B      ] sys-apps/man (\"sys-apps/man\" is blocking "
                    "sys-apps/man-db-2.13.0)\n\n"
                    " * Error: The above package list contains packages which cannot be\n"
                    " * installed at the same time on the same system.\n",
                "line 10");
}

TEST(EmergePretendTest, UnreadableBracketLineNamesTheLine) {
  ExpectRefused(std::string(kTreeHeader) + "[ebuild  N     ] dev-libs/openssl \n",
                "line 7: [ebuild  N     ] dev-libs/openssl");
  ExpectRefused("[fetch   F    ] www-plugins/chrome-binary-plugins-131.0\n", "line 1");
  ExpectRefused("[ebuild  N      dev-libs/openssl-3.3.3\n", "line 1");
  ExpectRefused("[ebuild  N     ]\n", "line 1");
}

// The controller takes a discovery only when every name is a PMS cat/pkg-ver
// (api::ParseCpv); what it would refuse is refused here, at its line.
TEST(EmergePretendTest, BuildsThatAreNotCatPkgVerAreRefusedAtTheirLine) {
  // Found by fuzz/emerge_pretend_fuzzer.cc: a version that ends in '.'.
  ExpectRefused("[ebuild  N     ] app-portage/eix-0.36. 7 USE=\"nls -debug\"\n",
                "line 1: [ebuild  N     ] app-portage/eix-0.36.");
  ExpectRefused(std::string(kTreeHeader) + "[ebuild  N     ] dev-libs/openssl-3.3.3 \n" +
                    "[ebuild  N     ]  a/b-1- \n",
                "line 8");
  ExpectRefused("[ebuild  N     ] .cat/pkg-1.0\n", "line 1");
  ExpectRefused("[ebuild  N     ] cat/pkg-1.0_x\n", "line 1");
  // A binary package is never built here, and its name may carry a build id.
  auto pkgs = MustParse(std::string(kTreeHeader) + "[binary  N     ] net-analyzer/nmap-7.95-1 \n" +
                        "[ebuild  N     ]  net-libs/libpcap-1.10.5 \n");
  EXPECT_THAT(Names(pkgs), ElementsAre("net-libs/libpcap-1.10.5"));
}

TEST(EmergePretendTest, OutputWithoutAMergeListIsAnError) {
  ExpectRefused("", "no merge list in emerge output");
  ExpectRefused("sh: line 1: emerge: command not found\n", "no merge list in emerge output");
  ExpectRefused("\n!!! Your current profile is invalid.\n", "no merge list in emerge output");
}

TEST(EmergePretendTest, FewerLinesThanTheTotalMeansLostOutput) {
  ExpectRefused(
      "[ebuild     U  ] net-misc/curl-8.11.1-r2::gentoo [8.11.1-r1::gentoo] 0 KiB\n"
      "\nTotal: 12 packages (3 upgrades, 9 new), Size of downloads: 1,234 KiB\n",
      "Total line says 12");
}

// The fake portage (hack/fake-portage) must print what this parser reads.
class EmergeFakePortageTest : public ::testing::Test {
 protected:
  CommandResult Run(std::vector<std::string> argv, std::map<std::string, std::string> env = {}) {
    return testing::RunFakePortageCommand(runner_, std::move(argv), std::move(env));
  }

  void SetUp() override {
    CommandResult made = Run({FakePortagePath("make-tree.sh"), tree_});
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }

  std::vector<api::DiscoveredPackage> Discover(const std::string& tag) {
    CommandResult co = Run({"git", "-C", tree_, "checkout", "-q", "--detach", tag});
    EXPECT_EQ(co.exit_code, 0) << co.output;
    CommandResult pretend =
        Run({FakePortagePath("emerge"), "--fake-repo", tree_, "--pretend", "--tree", "--color=n",
             "--nospinner", "--update", "--deep", "--newuse", "--with-bdeps=y", "@world"});
    EXPECT_EQ(pretend.exit_code, 0) << pretend.output;
    return MustParse(pretend.output);
  }

  swarm::testing::TempDir dir_;
  std::string tree_ = dir_.File("tree");
  ProcessRunner runner_;
};

TEST_F(EmergeFakePortageTest, RevisionsResolveToTheirQueues) {
  auto rev1 = Discover("rev-1");
  EXPECT_THAT(Names(rev1),
              UnorderedElementsAre("dev-qt/qtwebengine-6.8.1", "dev-qt/qtbase-6.8.1",
                                   "dev-libs/openssl-3.3.2", "sys-apps/systemd-utils-6.20.0",
                                   "dev-qt/qtdeclarative-6.8.1", "media-libs/mesa-24.3.4",
                                   "llvm-core/llvm-19.1.7", "net-misc/curl-8.11.1-r2"));
  EXPECT_THAT(DepsOf(rev1)["dev-qt/qtbase-6.8.1"],
              UnorderedElementsAre("dev-libs/openssl-3.3.2", "sys-apps/systemd-utils-6.20.0"));

  auto rev2 = Discover("rev-2");
  EXPECT_THAT(Names(rev2), ElementsAre("sys-libs/zlib-1.3.1-r1", "net-misc/curl-8.11.1-r2",
                                       "llvm-core/llvm-19.1.7", "llvm-core/clang-19.1.7",
                                       "media-libs/mesa-24.3.4", "dev-qt/qtdeclarative-6.8.1",
                                       "sys-apps/systemd-utils-6.22.0", "dev-libs/openssl-3.3.3",
                                       "dev-qt/qtbase-6.8.1", "dev-qt/qtwebengine-6.8.1"));
  Deps deps = DepsOf(rev2);
  EXPECT_THAT(deps["dev-qt/qtwebengine-6.8.1"],
              ElementsAre("dev-qt/qtdeclarative-6.8.1", "dev-qt/qtbase-6.8.1"));
  EXPECT_THAT(deps["dev-qt/qtbase-6.8.1"],
              ElementsAre("sys-apps/systemd-utils-6.22.0", "dev-libs/openssl-3.3.3"));
  EXPECT_THAT(deps["media-libs/mesa-24.3.4"], ElementsAre("llvm-core/clang-19.1.7"));
  EXPECT_THAT(deps["llvm-core/clang-19.1.7"], ElementsAre("llvm-core/llvm-19.1.7"));
}

TEST_F(EmergeFakePortageTest, PretendFailureIsPrintedWithExitOne) {
  dir_.Write("tree/metadata/fake-emerge/pretend-fails", kSlotConflictPretend);
  CommandResult r = Run({FakePortagePath("emerge"), "--fake-repo", tree_, "-pt", "@world"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(ParseEmergePretend(r.output).ok());
}

TEST_F(EmergeFakePortageTest, BuildWritesABinaryPackageOrFailsAsInjected) {
  const std::string pkgdir = dir_.File("pkgdir");
  CommandResult ok = Run({FakePortagePath("emerge"), "--fake-repo", tree_, "--oneshot", "--usepkg",
                          "--getbinpkg", "--buildpkg", "=dev-libs/openssl-3.3.3"},
                         {{"PKGDIR", pkgdir}});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_THAT(ok.output, HasSubstr(">>> Completed (1 of 1) dev-libs/openssl-3.3.3::gentoo"));
  EXPECT_GT(std::filesystem::file_size(pkgdir + "/dev-libs/openssl/openssl-3.3.3-1.gpkg.tar"), 0u);

  dir_.Write("tree/metadata/fake-emerge/fail/dev-libs/openssl-3.3.3",
             " * ERROR: dev-libs/openssl-3.3.3::gentoo failed (compile phase):\n"
             " *   emake failed\n");
  CommandResult failed =
      Run({FakePortagePath("emerge"), "--fake-repo", tree_, "--oneshot", "=dev-libs/openssl-3.3.3"},
          {{"PKGDIR", pkgdir}});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.output, HasSubstr(">>> Failed to emerge dev-libs/openssl-3.3.3"));
}

}  // namespace
}  // namespace swarm::agent
