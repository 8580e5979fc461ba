// portscope-cli's --ssh options: what is wrong with them is a usage error (exit 2) that names
// the option, found before ssh is ever started.

#include "cli_test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace portscope::testing {
namespace {

using ::testing::HasSubstr;

TEST(CliSsh, BadSshOptionsAreUsageErrorsNamingTheOption) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"snapshot", "--ssh"}, "--ssh needs a value"},
        {{"snapshot", "--ssh", "db1", "--ssh-helper"}, "--ssh-helper needs a value"},
        {{"snapshot", "--ssh", "db1:65536"},
         "--ssh: '65536' is not a port: use a number from 1 to 65535"},
        {{"snapshot", "--ssh", "db1:"}, "--ssh: '' is not a port"},
        {{"snapshot", "--ssh", ""}, "--ssh: no host given"},
        {{"snapshot", "--ssh", "db1", "--ssh-helper", ""},
         "--ssh: the remote helper must be an absolute path"},
        {{"snapshot", "--ssh", "db1", "--ssh-option", "-oProxyCommand"},
         "--ssh: an ssh option must read KEY=VALUE"},
        {{"snapshot", "--ssh-sudo"}, "go with --ssh HOST"},
        {{"snapshot", "--ssh", "db1", "--elevated"}, "--ssh cannot be combined with --elevated"},
    };
    for (const auto& [args, message] : cases) {
        const auto run = runCli(args);
        EXPECT_EQ(run.exitCode, 2) << args.back();
        EXPECT_THAT(run.err, HasSubstr(message)) << args.back();
    }
}

} // namespace
} // namespace portscope::testing
