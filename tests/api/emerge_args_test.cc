// What spec.queue.emergeArgs and targets may put on emerge's command line:
// emerge's dependency-resolution options in each form emerge reads, and
// atoms and sets as targets; everything else refused, naming the word.

#include "api/emerge_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace swarm::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(SplitEmergeArgsTest, SplitsOnWhitespaceOnly) {
  EXPECT_THAT(SplitEmergeArgs(" --update  --deep\t--newuse\n"),
              ElementsAre("--update", "--deep", "--newuse"));
  EXPECT_THAT(SplitEmergeArgs("--exclude 'sys-devel/*'"),
              ElementsAre("--exclude", "'sys-devel/*'"));
  EXPECT_THAT(SplitEmergeArgs(""), IsEmpty());
  EXPECT_THAT(SplitEmergeArgs(" \t "), IsEmpty());
}

TEST(CheckEmergeArgsTest, AcceptsResolutionOptionsInEveryFormEmergeReads) {
  for (const char* args : {
           "",
           "--update --deep --newuse --with-bdeps=y",  // the default
           "--update --deep --newuse --with-bdeps y",
           "-uDN",
           "-uDNv --with-bdeps=y --backtrack=30",
           "-uDU --changed-deps --complete-graph",
           "--deep=3",
           "--deep 3",
           "-D3",
           "-D 3",
           "-D",
           "--jobs=4 --load-average=6.5",
           "--jobs 4 --load-average 6",
           "-j4 -l6.5",
           "-j 4 -l 6.5",
           "--jobs",
           "--backtrack 100",
           "--usepkg --getbinpkg --binpkg-respect-use=y --binpkg-changed-deps n",
           "-k n -g y",
           "-kg",
           "-kn",    // --usepkg and --noreplace, as emerge reads it
           "-D -1",  // --deep and --oneshot: -D takes no negative depth
           "--usepkgonly=y --getbinpkgonly=n",
           "--exclude sys-devel/gcc --exclude=dev-lang/rust",
           "--exclude sys-devel/* --usepkg-exclude */*-bin --useoldpkg-atoms dev-qt/qtwebengine:6",
           "--exclude gcc",
           "--reinstall-atoms=dev-lang/python:3.12 --rebuild-exclude=app-office/*",
           "--emptytree --oneshot --noreplace",
           "-e1n",
           "--selective=n --keep-going --quiet-build=y --verbose --verbose-conflicts",
           "--complete-graph-if-new-use=y --complete-graph-if-new-ver n",
           "--dynamic-deps=n --ignore-built-slot-operator-deps y --ignore-soname-deps=n",
           "--rebuild-if-new-slot --rebuild-if-new-rev=n --rebuild-if-unbuilt y",
           "--with-bdeps-auto=n --with-test-deps --changed-slot --ignore-world=y",
           "--onlydeps -o --nodeps -O --newrepo --update-if-installed",
           "--autounmask=n",
       }) {
    EXPECT_TRUE(CheckEmergeArgs(args).ok()) << '"' << args << "\": " << CheckEmergeArgs(args).message();
  }
}

struct Refused {
  const char* args;
  std::string message;  // part of the message, which names the word
};

TEST(CheckEmergeArgsTest, RefusesWhatWouldMakeEmergeDoMoreThanResolve) {
  const std::string kNotAllowed =
      " is not an option emergeArgs may pass: only emerge's dependency-resolution options are "
      "allowed (docs/swarm.md lists them)";
  const std::vector<Refused> cases = {
      {"--update --config-root=/tmp/evil",
       "\"--config-root=/tmp/evil\": --config-root" + std::string(kNotAllowed)},
      {"--config-root /tmp/evil", "\"--config-root\": --config-root" + std::string(kNotAllowed)},
      {"--root=/", "\"--root=/\": --root"},
      {"--sysroot=/x", "\"--sysroot=/x\": --sysroot"},
      {"--prefix=/x", "\"--prefix=/x\": --prefix"},
      {"--sync", "\"--sync\": --sync"},
      {"--ask", "\"--ask\": --ask"},
      {"-a", "\"-a\": -a"},
      {"-uDNa", "\"-uDNa\": -a"},
      {"--unmerge", "\"--unmerge\": --unmerge"},
      {"-C", "\"-C\": -C"},
      {"--depclean", "\"--depclean\": --depclean"},
      {"-c", "\"-c\": -c"},
      {"--prune", "\"--prune\": --prune"},
      {"--resume", "\"--resume\": --resume"},
      {"--fetchonly", "\"--fetchonly\": --fetchonly"},
      {"-f", "\"-f\": -f"},
      {"--autounmask-write", "\"--autounmask-write\": --autounmask-write"},
      {"--autounmask-continue", "\"--autounmask-continue\": --autounmask-continue"},
      {"--select", "\"--select\": --select"},
      {"-w", "\"-w\": -w"},
      {"--deselect", "\"--deselect\": --deselect"},
      {"--digest", "\"--digest\": --digest"},
      {"--ignore-default-opts", "\"--ignore-default-opts\": --ignore-default-opts"},
      {"--quickpkg-direct-root=/", "\"--quickpkg-direct-root=/\": --quickpkg-direct-root"},
      {"--pkg-format=xpak", "\"--pkg-format=xpak\": --pkg-format"},
      {"--buildpkg", "\"--buildpkg\": --buildpkg"},
      {"--info", "\"--info\": --info"},
      {"--help", "\"--help\": --help"},
      {"--up", "\"--up\": --up"},  // argparse would take the abbreviation; we do not
      {"--", "\"--\": --"},
      {"--pretend; rm -rf /", "\"--pretend;\": --pretend;"},
      {"--update;", "\"--update;\": --update;"},
      {"--update $(id)", "\"$(id)\": not an option: packages and sets belong in spec.queue.targets"},
      {"--update @world", "\"@world\": not an option: packages and sets belong in spec.queue.targets"},
      {"-", "\"-\": not an option: packages and sets belong in spec.queue.targets"},
      {"--update=y", "\"--update=y\": --update takes no value"},
      {"--with-bdeps", "\"--with-bdeps\": --with-bdeps needs a value after it"},
      {"--with-bdeps=maybe", "\"--with-bdeps=maybe\": --with-bdeps takes y or n, got \"maybe\""},
      {"--with-bdeps --update", "\"--with-bdeps\": --with-bdeps takes y or n, got \"--update\""},
      {"--usepkg=True", "\"--usepkg=True\": --usepkg takes y or n, got \"True\""},
      {"--deep=-1", "\"--deep=-1\": --deep takes a whole number, got \"-1\""},
      {"--deep=", "\"--deep=\": --deep takes a whole number, got \"\""},
      {"--deep=1e3", "\"--deep=1e3\": --deep takes a whole number, got \"1e3\""},
      {"--jobs=y", "\"--jobs=y\": --jobs takes a whole number, got \"y\""},
      {"--load-average=inf", "\"--load-average=inf\": --load-average takes a number such as 4 or 4.5, got \"inf\""},
      {"--backtrack", "\"--backtrack\": --backtrack needs a value after it"},
      {"--backtrack=+3", "\"--backtrack=+3\": --backtrack takes a whole number, got \"+3\""},
      {"--backtrack 1_0", "\"--backtrack\": --backtrack takes a whole number, got \"1_0\""},
      {"--exclude", "\"--exclude\": --exclude needs a value after it"},
      {"--exclude --sync",
       "\"--exclude\": --exclude takes a package, got \"--sync\": expected "
       "[category/]package[:slot] with '*' matching any characters, such as sys-devel/* or "
       "dev-lang/rust:stable"},
      {"--exclude=/etc/passwd", "\"--exclude=/etc/passwd\": --exclude takes a package"},
      {"--exclude=>=dev-lang/rust-1", "\"--exclude=>=dev-lang/rust-1\": --exclude takes a package"},
      {"--exclude 'sys-devel/*'", "\"--exclude\": --exclude takes a package, got \"'sys-devel/*'\""},
      {"-uD3", "\"-uD3\": emerge may read a digit in it as the value of -D, -j or -l: write the options apart"},
      {"-j1D", "\"-j1D\": emerge may read a digit in it"},
      {"-1j", "\"-1j\": emerge may read a digit in it"},
      {"-u3", "\"-u3\": -3"},
      {"-D3x", "\"-D3x\": emerge may read a digit in it"},
      {"-uDk y", "\"y\": not an option"},  // emerge would give y to a -k it split off
      {"-j y", "\"y\": not an option"},
      {"-X sys-devel/gcc", "\"-X\": -X"},
  };
  for (const Refused& c : cases) {
    Status s = CheckEmergeArgs(c.args);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.args;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.args;
  }
}

TEST(CheckEmergeArgsTest, TheWholeMessageNamesTheWordAndWhy) {
  EXPECT_EQ(CheckEmergeArgs("--update --config-root=/tmp/evil").message(),
            "\"--config-root=/tmp/evil\": --config-root is not an option emergeArgs may pass: only "
            "emerge's dependency-resolution options are allowed (docs/swarm.md lists them)");
}

TEST(CheckEmergeTargetTest, AcceptsAtomsAndSets) {
  for (const char* target : {
           "@world",
           "@system",
           "@selected",
           "@preserved-rebuild",
           "@x11-module-rebuild",
           "dev-lang/rust",
           ">=dev-lang/rust-1.80",
           "=dev-lang/python-3.12*:3.12::gentoo[sqlite,-tk]",
       }) {
    EXPECT_TRUE(CheckEmergeTarget(target).ok()) << target << ": " << CheckEmergeTarget(target).message();
  }
}

TEST(CheckEmergeTargetTest, RefusesOptionsPathsAndWhatIsNotAnAtomOrSet) {
  const std::vector<Refused> cases = {
      {"--sync", "\"--sync\" must not start with '-': emerge would read it as an option"},
      {"-C", "\"-C\" must not start with '-'"},
      {"-dev-lang/rust", "\"-dev-lang/rust\" must not start with '-'"},
      {"@", "\"@\" is not a set: expected @ and a name of letters, digits and _ . + -, such as "
            "@world"},
      {"@-world", "\"@-world\" is not a set"},
      {"@../../etc", "\"@../../etc\" is not a set"},
      {"@world;id", "\"@world;id\" is not a set"},
      {"/etc/passwd", "\"/etc/passwd\" is not a package atom or set: expected category/package"},
      {"./foo.ebuild", "\"./foo.ebuild\" is not a package atom or set: category \".\" is not a "
                       "category name"},
      {"rust", "\"rust\" is not a package atom or set: expected category/package (such as "
               "dev-lang/rust), optionally with an operator and version (>=dev-lang/rust-1.80), "
               ":slot, ::repository and [use]"},
      {"dev-lang/rust-1.80",
       "\"dev-lang/rust-1.80\" is not a package atom or set: a version needs an operator, such "
       "as =dev-lang/rust-1.80"},
      {"", "\"\" is not a package atom or set"},
  };
  for (const Refused& c : cases) {
    Status s = CheckEmergeTarget(c.args);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.args;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.args;
  }
}

}  // namespace
}  // namespace swarm::api
