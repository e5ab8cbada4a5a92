#include "node-agent/build_failure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

// The outputs are emerge's (--color=n --nospinner) as portage prints them:
// resolver refusals from lib/_emerge/depgraph.py, fetch failures from
// fetch.py and EbuildFetcher.py, die from bin/isolated-functions.sh,
// check-reqs.eclass, and the toolchain's own messages.

namespace swarm::agent {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kDieTrailer[] =
    " *\n"
    " * Call stack:\n"
    " *     ebuild.sh, line  136:  Called src_compile\n"
    " *   environment, line 3012:  Called default\n"
    " *\n"
    " * If you need support, post the output of `emerge --info "
    "'=dev-libs/foo-1.0::gentoo'`,\n"
    " * the complete build log and the output of `emerge -pqv "
    "'=dev-libs/foo-1.0::gentoo'`.\n"
    " * The complete build log is located at "
    "'/var/tmp/portage/dev-libs/foo-1.0/temp/build.log'.\n"
    " * S: '/var/tmp/portage/dev-libs/foo-1.0/work/foo-1.0'\n"
    "\n"
    ">>> Failed to emerge dev-libs/foo-1.0, Log file:\n"
    "\n"
    ">>>  '/var/tmp/portage/dev-libs/foo-1.0/temp/build.log'\n";

constexpr char kSlotConflictLog[] =
    "Calculating dependencies... done!\n"
    "Dependency resolution took 3.12 s (backtrack: 0/20).\n"
    "\n"
    "!!! Multiple package instances within a single package slot have been pulled\n"
    "!!! into the dependency graph, resulting in a slot conflict:\n"
    "\n"
    "dev-qt/qtcore:5\n"
    "\n"
    "  (dev-qt/qtcore-5.12.2:5/5.12::gentoo, ebuild scheduled for merge) pulled in by\n"
    "    =dev-qt/qtcore-5.12.2 (Argument)\n"
    "\n"
    "  (dev-qt/qtcore-5.11.1-r1:5/5.11::gentoo, installed) pulled in by\n"
    "    ~dev-qt/qtcore-5.11.1 required by (dev-qt/qtdbus-5.11.1:5/5.11::gentoo, installed)\n"
    "    ^              ^^^^^^\n"
    "    (and 9 more with the same problem)\n"
    "\n"
    "It may be possible to solve this problem by using package.mask to\n"
    "prevent one of those packages from being selected.\n";

constexpr char kMasked[] =
    "Calculating dependencies... done!\n"
    "\n"
    "!!! All ebuilds that could satisfy \"=x11-drivers/nvidia-drivers-550.54.14\" have been "
    "masked.\n"
    "!!! One of the following masked packages is required to complete your request:\n"
    "- x11-drivers/nvidia-drivers-550.54.14::gentoo (masked by: NVIDIA-r2 license(s))\n"
    "A copy of the 'NVIDIA-r2' license is located at "
    "'/var/db/repos/gentoo/licenses/NVIDIA-r2'.\n"
    "\n"
    "For more information, see the MASKED PACKAGES section in the emerge\n"
    "man page or refer to the Gentoo Handbook.\n";

constexpr char kNoEbuilds[] =
    "Calculating dependencies... done!\n"
    "\n"
    "emerge: there are no ebuilds to satisfy \"=dev-libs/foo-1.0\".\n";

constexpr char kBlocker[] =
    "Calculating dependencies... done!\n"
    "Dependency resolution took 1.02 s (backtrack: 0/20).\n"
    "\n"
    "[ebuild  N     ] sys-apps/systemd-255.4  USE=\"acl kmod pam -selinux\"\n"
    "[blocks B      ] sys-fs/udev (\"sys-fs/udev\" is blocking sys-apps/systemd-255.4)\n"
    "\n"
    " * Error: The above package list contains packages which cannot be\n"
    " * installed at the same time on the same system.\n"
    "\n"
    "  (sys-fs/udev-254-r1:0/0::gentoo, installed) pulled in by\n"
    "    sys-fs/udev required by @system\n"
    "\n"
    "For more information about Blocked Packages, please refer to the following\n"
    "section of the Gentoo Linux x86 Handbook (architecture is irrelevant):\n"
    "\n"
    "https://wiki.gentoo.org/wiki/Handbook:X86/Working/Portage#Blocked_packages\n";

constexpr char kRequiredUse[] =
    "Calculating dependencies... done!\n"
    "\n"
    "!!! The ebuild selected to satisfy \"=media-video/mpv-0.38.0\" has unmet requirements.\n"
    "- media-video/mpv-0.38.0::gentoo USE=\"X alsa cli drm egl vulkan -wayland\"\n"
    "\n"
    "  The following REQUIRED_USE flag constraints are unsatisfied:\n"
    "    vulkan? ( || ( wayland X ) libplacebo )\n"
    "\n"
    "  The above constraints are a subset of the following complete expression:\n"
    "    || ( cli libmpv ) egl? ( || ( X wayland ) ) vulkan? ( libplacebo )\n";

constexpr char kUseChanges[] =
    "Calculating dependencies... done!\n"
    "Dependency resolution took 0.48 s (backtrack: 0/20).\n"
    "\n"
    "The following USE changes are necessary to proceed:\n"
    " (see \"package.use\" in the portage(5) man page for more details)\n"
    "# required by media-video/ffmpeg-6.1.1-r5::gentoo\n"
    "# required by =media-video/ffmpeg-6.1.1-r5 (argument)\n"
    ">=media-libs/libvpx-1.13.1 postproc\n"
    "\n"
    "Use --autounmask-write to write changes to config files (honoring\n"
    "CONFIG_PROTECT).\n";

constexpr char kFetch[] =
    ">>> Emerging (1 of 1) dev-libs/foo-1.0::gentoo\n"
    ">>> Downloading 'https://distfiles.gentoo.org/distfiles/3a/foo-1.0.tar.gz'\n"
    "--2025-01-10 12:00:00--  https://distfiles.gentoo.org/distfiles/3a/foo-1.0.tar.gz\n"
    "HTTP request sent, awaiting response... 404 Not Found\n"
    "2025-01-10 12:00:01 ERROR 404: Not Found.\n"
    "\n"
    ">>> Downloading 'https://example.org/releases/foo-1.0.tar.gz'\n"
    "HTTP request sent, awaiting response... 404 Not Found\n"
    "!!! Couldn't download 'foo-1.0.tar.gz'. Aborting.\n"
    " * Fetch failed for 'dev-libs/foo-1.0', Log file:\n"
    " *  '/var/tmp/portage/dev-libs/foo-1.0/temp/build.log'\n"
    "\n"
    ">>> Failed to emerge dev-libs/foo-1.0, Log file:\n";

constexpr char kCompileOom[] =
    ">>> Compiling source in /var/tmp/portage/dev-libs/foo-1.0/work/foo-1.0 ...\n"
    "[1234/4000] /usr/bin/x86_64-pc-linux-gnu-g++ -O2 -c ../src/parser.cc -o parser.o\n"
    "FAILED: parser.o\n"
    "x86_64-pc-linux-gnu-g++: fatal error: Killed signal terminated program cc1plus\n"
    "compilation terminated.\n"
    "ninja: build stopped: subcommand failed.\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n"
    " *   cmake_build failed\n";

constexpr char kVirtualMemory[] =
    ">>> Compiling source in /var/tmp/portage/dev-libs/foo-1.0/work/foo-1.0 ...\n"
    "make -j16\n"
    "virtual memory exhausted: Cannot allocate memory\n"
    "make: *** [Makefile:1234: big.o] Error 1\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n"
    " *   emake failed\n";

constexpr char kNoSpace[] =
    ">>> Install dev-libs/foo-1.0 into /var/tmp/portage/dev-libs/foo-1.0/image\n"
    "/usr/bin/install -c .libs/libfoo.so.1.0.0 "
    "/var/tmp/portage/dev-libs/foo-1.0/image/usr/lib64/libfoo.so.1.0.0\n"
    "/usr/bin/install: error writing "
    "'/var/tmp/portage/dev-libs/foo-1.0/image/usr/lib64/libfoo.so.1.0.0': "
    "No space left on device\n"
    "make: *** [Makefile:512: install-libLTLIBRARIES] Error 1\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (install phase):\n"
    " *   emake failed\n";

constexpr char kCheckReqsRam[] =
    ">>> Running pre-merge checks for dev-qt/qtwebengine-6.8.1\n"
    " * Checking for at least 32 GiB RAM ...\n"
    " [ !! ]\n"
    " * There is NOT at least 32 GiB RAM\n"
    " *\n"
    " * Space constraints set in the ebuild were not met!\n"
    " * The build will most probably fail, you should enhance the space\n"
    " * as per failed tests.\n"
    " *\n"
    " * ERROR: dev-qt/qtwebengine-6.8.1::gentoo failed (pretend phase):\n"
    " *   Build requirements not met!\n";

constexpr char kCheckReqsDisk[] =
    ">>> Running pre-merge checks for sys-devel/gcc-14.2.1_p20241221\n"
    " * Checking for at least 8 GiB disk space at \"/var/tmp/portage/sys-devel/"
    "gcc-14.2.1_p20241221/temp\" ...\n"
    " [ !! ]\n"
    " * There is NOT at least 8 GiB disk space at \"/var/tmp/portage/sys-devel/"
    "gcc-14.2.1_p20241221/temp\"\n"
    " *\n"
    " * ERROR: sys-devel/gcc-14.2.1_p20241221::gentoo failed (pretend phase):\n"
    " *   Build requirements not met!\n";

constexpr char kCompileError[] =
    ">>> Compiling source in /var/tmp/portage/dev-libs/foo-1.0/work/foo-1.0 ...\n"
    "make -j8\n"
    "x86_64-pc-linux-gnu-gcc -O2 -pipe -c foo.c -o foo.o\n"
    "foo.c:12:5: error: implicit declaration of function 'bar' "
    "[-Wimplicit-function-declaration]\n"
    "   12 |     bar();\n"
    "      |     ^~~\n"
    "make: *** [Makefile:20: foo.o] Error 1\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n"
    " *   emake failed\n";

constexpr char kConfigureError[] =
    ">>> Configuring source in /var/tmp/portage/dev-libs/foo-1.0/work/foo-1.0 ...\n"
    " * econf: updating foo-1.0/config.guess with /usr/share/gnuconfig/config.guess\n"
    "checking for GLIB... no\n"
    "configure: error: Package requirements (glib-2.0 >= 2.76) were not met:\n"
    "\n"
    "Requested 'glib-2.0 >= 2.76' but version of GLib is 2.74.6\n"
    "\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (configure phase):\n"
    " *   econf failed\n";

constexpr char kInstallError[] =
    ">>> Install dev-libs/foo-1.0 into /var/tmp/portage/dev-libs/foo-1.0/image\n"
    " * ERROR: dev-libs/foo-1.0::gentoo failed (install phase):\n"
    " *   dodoc failed\n";

struct Case {
  const char* name;
  std::string output;
  int exit_code;
  bool killed;
  int signal;
  FailureClass want_class;
  const char* want_phase;
  const char* want_reason;  // a substring of the reason
};

std::vector<Case> Cases() {
  using FC = FailureClass;
  const std::string die = kDieTrailer;
  return {
      {"SlotConflict", kSlotConflictLog, 1, false, 0, FC::kSystemic, "",
       "!!! Multiple package instances within a single package slot"},
      {"Masked", kMasked, 1, false, 0, FC::kSystemic, "", "have been masked."},
      {"NoEbuilds", kNoEbuilds, 1, false, 0, FC::kSystemic, "",
       "emerge: there are no ebuilds to satisfy \"=dev-libs/foo-1.0\""},
      {"Blocker", kBlocker, 1, false, 0, FC::kSystemic, "", "is blocking"},
      {"RequiredUse", kRequiredUse, 1, false, 0, FC::kSystemic, "",
       "The following REQUIRED_USE flag constraints are unsatisfied"},
      {"UseChanges", kUseChanges, 1, false, 0, FC::kSystemic, "",
       "The following USE changes are necessary to proceed"},
      {"Fetch", kFetch, 1, false, 0, FC::kFetch, "fetch",
       "!!! Couldn't download 'foo-1.0.tar.gz'. Aborting."},
      {"CompilerOomKilled", kCompileOom + die, 1, false, 0, FC::kDroneResources, "compile",
       "Killed signal terminated program cc1plus"},
      {"VirtualMemoryExhausted", kVirtualMemory + die, 1, false, 0, FC::kDroneResources, "compile",
       "virtual memory exhausted: Cannot allocate memory"},
      {"OutOfMemoryAllocating",
       "cc1plus: out of memory allocating 65536 bytes after a total of 2949120 bytes\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n *   emake failed\n",
       1, false, 0, FC::kDroneResources, "compile", "out of memory allocating"},
      {"LinkerKilled",
       "collect2: fatal error: ld terminated with signal 9 [Killed]\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n *   emake failed\n",
       1, false, 0, FC::kDroneResources, "compile", "ld terminated with signal 9"},
      {"ShellReportsKilled",
       "/bin/sh: line 1: 48213 Killed                  x86_64-pc-linux-gnu-g++ -c big.cc\n"
       "make: *** [Makefile:40: big.o] Error 137\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n *   emake failed\n",
       1, false, 0, FC::kDroneResources, "compile", "48213 Killed"},
      {"MakeReportsKilled",
       "make[2]: *** [src/CMakeFiles/foo.dir/build.make:76: src/big.o] Killed\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n *   emake failed\n",
       1, false, 0, FC::kDroneResources, "compile", "] Killed"},
      {"RustAllocationFailed",
       "memory allocation of 4294967296 bytes failed\n"
       "error: could not compile `foo` (lib)\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (compile phase):\n *   cargo build failed\n",
       1, false, 0, FC::kDroneResources, "compile", "memory allocation of 4294967296 bytes"},
      {"NoSpaceLeft", kNoSpace + die, 1, false, 0, FC::kDroneResources, "install",
       "No space left on device"},
      {"CheckReqsRam", kCheckReqsRam + die, 1, false, 0, FC::kDroneResources, "pretend",
       "There is NOT at least 32 GiB RAM"},
      {"CheckReqsDisk", kCheckReqsDisk, 1, false, 0, FC::kDroneResources, "pretend",
       "There is NOT at least 8 GiB disk space at"},
      {"CompileError", kCompileError + die, 1, false, 0, FC::kPackage, "compile",
       "ERROR: dev-libs/foo-1.0::gentoo failed (compile phase): emake failed"},
      {"ConfigureError", kConfigureError + die, 1, false, 0, FC::kPackage, "configure",
       "failed (configure phase): econf failed"},
      {"InstallError", kInstallError + die, 1, false, 0, FC::kPackage, "install",
       "failed (install phase): dodoc failed"},
      {"DieWithoutPhase", " * ERROR: dev-libs/foo-1.0 failed:\n *   (no error message)\n", 1, false,
       0, FC::kPackage, "", "ERROR: dev-libs/foo-1.0 failed: (no error message)"},
      {"KilledBySigkillWithoutEvidence", ">>> Compiling source in /var/tmp/portage ...\n", -1, true,
       SIGKILL, FC::kDroneResources, "", "killed by signal 9 (out of memory?)"},
      {"OtherSignalWithoutEvidence", ">>> Compiling source ...\n", -1, true, SIGSEGV, FC::kPackage,
       "", "emerge killed by signal 11"},
      {"NothingRecognisable", "!!! something went wrong\n", 1, false, 0, FC::kPackage, "",
       "emerge exited 1"},
      {"EmptyOutput", "", 2, false, 0, FC::kPackage, "", "emerge exited 2"},
      // A resolver refusal is never one drone's fault, whatever else went wrong.
      {"SystemicBeatsFetch", std::string(kFetch) + kUseChanges, 1, false, 0, FC::kSystemic, "",
       "USE changes"},
      {"SystemicBeatsSigkill", kSlotConflictLog, -1, true, SIGKILL, FC::kSystemic, "",
       "single package slot"},
      {"OomBeatsSystemic", std::string(kSlotConflictLog) + kCompileOom, 1, false, 0,
       FC::kDroneResources, "compile", "Killed signal terminated program"},
      {"FetchBeatsPhaseError",
       std::string(kFetch) + " * ERROR: dev-libs/foo-1.0::gentoo failed (unpack phase):\n"
                             " *   unpack: foo-1.0.tar.gz does not exist\n",
       1, false, 0, FC::kFetch, "unpack", "Couldn't download"},
      {"PhaseErrorBeatsSigkill", kCompileError, -1, true, SIGKILL, FC::kPackage, "compile",
       "emake failed"},
      {"SourceQuotedByTheCompilerIsNotEvidence",
       "foo.c:40:7: warning: ignoring return value of 'write' [-Wunused-result]\n"
       "   40 |       write(2, \"Out of memory\\n\", 14);\n"
       "      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
           std::string(kCompileError),
       1, false, 0, FC::kPackage, "compile", "emake failed"},
      {"UncaughtBadAlloc",
       "terminate called after throwing an instance of 'std::bad_alloc'\n"
       "  what():  std::bad_alloc\n"
       " * ERROR: dev-libs/foo-1.0::gentoo failed (test phase):\n *   Tests failed\n",
       1, false, 0, FC::kDroneResources, "test", "std::bad_alloc"},
      // Lower-case b: a blocker emerge resolves on its own, not a refusal.
      {"ResolvedBlockerIsNotSystemic",
       "[blocks b      ] <sys-apps/sysvinit-2.99 (\"<sys-apps/sysvinit-2.99\" is blocking "
       "sys-apps/openrc-0.54)\n" +
           std::string(kCompileError),
       1, false, 0, FC::kPackage, "compile", "emake failed"},
      {"ColouredDie",
       " \x1b[31;01m*\x1b[0m ERROR: dev-libs/foo-1.0::gentoo failed (test phase):\n"
       " \x1b[31;01m*\x1b[0m   Tests failed\r\n",
       1, false, 0, FC::kPackage, "test", "failed (test phase): Tests failed"},
  };
}

TEST(ClassifyBuildFailureTest, Table) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const BuildFailure f = ClassifyBuildFailure(c.output, c.exit_code, c.killed, c.signal);
    EXPECT_STREQ(FailureClassName(f.failure_class), FailureClassName(c.want_class));
    EXPECT_EQ(f.phase, c.want_phase);
    EXPECT_THAT(f.reason, HasSubstr(c.want_reason));
    EXPECT_EQ(f.reason.find('\n'), std::string::npos) << "reason is one line";
  }
}

// Only memory exhaustion is an OOM: the agent reports oomKilled from it, and
// the controller then wants a drone with more memory for the package.
TEST(ClassifyBuildFailureTest, OutOfMemoryOnlyForMemoryEvidence) {
  const std::string die = kDieTrailer;
  EXPECT_TRUE(ClassifyBuildFailure(kCompileOom + die, 1, false, 0).out_of_memory);
  EXPECT_TRUE(ClassifyBuildFailure(kVirtualMemory + die, 1, false, 0).out_of_memory);
  EXPECT_TRUE(
      ClassifyBuildFailure(std::string(kSlotConflictLog) + kCompileOom, 1, false, 0).out_of_memory);
  EXPECT_FALSE(ClassifyBuildFailure(kNoSpace + die, 1, false, 0).out_of_memory);
  EXPECT_FALSE(ClassifyBuildFailure(kCheckReqsRam + die, 1, false, 0).out_of_memory);
  EXPECT_FALSE(ClassifyBuildFailure(kCompileError + die, 1, false, 0).out_of_memory);
  EXPECT_FALSE(ClassifyBuildFailure(kSlotConflictLog, 1, false, 0).out_of_memory);
  // A bare SIGKILL may be a timeout or a person: DroneResources, not an OOM.
  const BuildFailure bare = ClassifyBuildFailure(">>> Compiling source ...\n", -1, true, SIGKILL);
  EXPECT_EQ(bare.failure_class, FailureClass::kDroneResources);
  EXPECT_FALSE(bare.out_of_memory);
  // The first DroneResources evidence decides: a full disk first, then a kill.
  EXPECT_FALSE(ClassifyBuildFailure(std::string(kNoSpace) + kCompileOom, 1, false, 0).out_of_memory);
}

TEST(ClassifyBuildFailureTest, ReasonIsTheMatchedMessageWithoutMarkers) {
  const BuildFailure f = ClassifyBuildFailure(kCheckReqsRam, 1, false, 0);
  EXPECT_EQ(f.reason, "There is NOT at least 32 GiB RAM");
  const BuildFailure g = ClassifyBuildFailure(kFetch, 1, false, 0);
  EXPECT_EQ(g.reason, "!!! Couldn't download 'foo-1.0.tar.gz'. Aborting.");
}

TEST(ClassifyBuildFailureTest, ReasonKeepsTheWholeSentenceEmergeWrappedOverLines) {
  const BuildFailure f = ClassifyBuildFailure(kSlotConflictLog, 1, false, 0);
  EXPECT_EQ(f.reason,
            "!!! Multiple package instances within a single package slot have been pulled "
            "into the dependency graph, resulting in a slot conflict:");
  // A new sentence on the next "!!! " line is not part of it.
  const BuildFailure g = ClassifyBuildFailure(kMasked, 1, false, 0);
  EXPECT_THAT(g.reason, EndsWith("have been masked."));
}

TEST(ClassifyBuildFailureTest, LogTailKeepsTheLastLines) {
  std::string output;
  for (int i = 1; i <= 500; ++i) output += "line " + std::to_string(i) + "\n";
  output += kCompileError;
  output += "\n\n";
  const BuildFailure f = ClassifyBuildFailure(output, 1, false, 0);
  EXPECT_THAT(f.log_tail, EndsWith(" *   emake failed"));
  EXPECT_THAT(f.log_tail, HasSubstr("foo.c:12:5: error: implicit declaration"));
  EXPECT_THAT(f.log_tail, Not(HasSubstr("line 1\n")));
  EXPECT_LE(std::count(f.log_tail.begin(), f.log_tail.end(), '\n'), 40);
}

TEST(ClassifyBuildFailureTest, LogTailIsBoundedInBytes) {
  const std::string wide(4000, 'x');
  std::string output;
  for (int i = 0; i < 10; ++i) output += wide + "\n";
  output += "last line\n";
  const BuildFailure f = ClassifyBuildFailure(output, 1, false, 0);
  EXPECT_LE(f.log_tail.size(), 8u * 1024);
  EXPECT_THAT(f.log_tail, EndsWith("last line"));
  EXPECT_THAT(f.log_tail, StartsWith("x"));
}

TEST(FailureClassNameTest, MatchesTheApiNames) {
  EXPECT_STREQ(FailureClassName(FailureClass::kSystemic), "Systemic");
  EXPECT_STREQ(FailureClassName(FailureClass::kFetch), "Fetch");
  EXPECT_STREQ(FailureClassName(FailureClass::kDroneResources), "DroneResources");
  EXPECT_STREQ(FailureClassName(FailureClass::kPackage), "Package");
}

}  // namespace
}  // namespace swarm::agent
