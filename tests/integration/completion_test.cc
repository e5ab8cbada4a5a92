// `swarmctl completion bash|zsh` in the shells themselves: the script is
// sourced, the completion function called as the shell would call it on
// TAB, and what it offers read back. Drone names come from a real
// controller, through the connection flags of the line being completed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace swarm::testing {
namespace {

// A shell word, quoted for bash and zsh alike.
std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class CompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.AddAgentToken("drone-izar");
    h_.AddAgentToken("drone-tarn");
    ASSERT_TRUE(h_.StartController()) << h_.dir().File("controller.log");
    auto applied =
        h_.Swarmctl({"apply", "-f", h_.WriteSwarm("swarm.yaml", {"drone-izar", "drone-tarn"})});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    line_ = {BinPath("swarmctl"), "--server", h_.url(), "--token", h_.admin_token()};
    for (const auto& f : h_.SwarmctlTlsFlags()) line_.push_back(f);
  }

  // What the completion offers for `words` (the words after the connection
  // flags; the last is the one being completed), one per line, in `shell`.
  std::string Complete(const std::string& shell, const std::vector<std::string>& words) {
    std::vector<std::string> all = line_;
    all.insert(all.end(), words.begin(), words.end());
    std::string array;
    for (const auto& w : all) array += Quoted(w) + " ";
    std::string script;
    if (shell == "zsh") {
      // As zsh's completion system calls a bash completion: ksh arrays.
      script = "autoload -U compinit && compinit -u\nsource <(" + Quoted(BinPath("swarmctl")) +
               " completion zsh)\nsetopt ksharrays\n";
    } else {
      script = "source <(" + Quoted(BinPath("swarmctl")) + " completion bash)\n";
    }
    script += "COMP_WORDS=(" + array + ")\nCOMP_CWORD=" + std::to_string(all.size() - 1) +
              "\n_swarmctl\nfor w in \"${COMPREPLY[@]}\"; do printf '%s\\n' \"$w\"; done\n";
    auto r = RunCommand({"/usr/bin/" + shell, "-c", script});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  SwarmHarness h_;
  std::vector<std::string> line_;
};

TEST_F(CompletionTest, BashCompletesVerbsResourcesFlagsAndNamesFromTheController) {
  EXPECT_EQ(Complete("bash", {"c"}), "cordon\ncompletion\n");
  EXPECT_EQ(Complete("bash", {"get", ""}), "swarm\ndrones\npackages\nevents\nreleases\n");
  EXPECT_EQ(Complete("bash", {"r"}), "release\nrollback\n");
  EXPECT_EQ(Complete("bash", {"release", ""}), "cut\n");
  EXPECT_EQ(Complete("bash", {"release", "cut", "--"}), "--wait\n--help\n");
  EXPECT_EQ(Complete("bash", {"get", "drones", "-o", ""}), "wide\njson\nyaml\nname\n");
  EXPECT_EQ(Complete("bash", {"get", "drones", "--w"}), "--watch\n");
  EXPECT_EQ(Complete("bash", {"cordon", ""}), "drone-izar\ndrone-tarn\n");
  EXPECT_EQ(Complete("bash", {"describe", "drone", "drone-t"}), "drone-tarn\n");
  EXPECT_EQ(Complete("bash", {"get", "events", "--for", "drone/drone-i"}), "drone/drone-izar\n");
  EXPECT_EQ(Complete("bash", {"wait", "--for", "condition", "=", "Qu"}),
            "QueueComplete\nQueueCurrent\n");
  // A drone's name is one argument: nothing more after it.
  EXPECT_EQ(Complete("bash", {"drain", "drone-izar", ""}), "");
}

TEST_F(CompletionTest, ZshCompletesTheSameThroughBashcompinit) {
  auto registered =
      RunCommand({"/usr/bin/zsh", "-c",
                  "autoload -U compinit && compinit -u\nsource <(" + Quoted(BinPath("swarmctl")) +
                      " completion zsh)\nprint -r -- \"${_comps[swarmctl]}\""});
  EXPECT_EQ(registered.out, "_bash_complete -F _swarmctl\n") << registered.err;
  EXPECT_EQ(Complete("zsh", {"uncordon", ""}), "drone-izar\ndrone-tarn\n");
  // zsh's compgen offers every word; zsh's completion system keeps those
  // that match what is typed.
  EXPECT_EQ(Complete("zsh", {"get", "p"}), "swarm\ndrones\npackages\nevents\nreleases\n");
}

TEST(CompletionUsageTest, AnotherShellIsAUsageError) {
  auto r = RunCommand({BinPath("swarmctl"), "completion", "fish"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: no completion for shell \"fish\" (want bash or zsh)\n");
}

}  // namespace
}  // namespace swarm::testing
