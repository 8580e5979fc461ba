#pragma once
// Running portscope-cli in-process and reading what it printed, for the CLI test files.

#include "cli.h"

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace portscope::testing {

struct CliRun {
    int exitCode = -1;
    std::string out;
    std::string err;
};

inline CliRun runCli(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    CliRun run;
    run.exitCode = cli::run(args, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
}

inline boost::property_tree::ptree parseJson(const std::string& text) {
    std::istringstream stream(text);
    boost::property_tree::ptree tree;
    boost::property_tree::read_json(stream, tree);
    return tree;
}

inline std::vector<boost::property_tree::ptree> parseNdjson(const std::string& text) {
    std::vector<boost::property_tree::ptree> events;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        events.push_back(parseJson(line));
    }
    return events;
}

// A private directory under /tmp, removed with everything in it when the test ends.
class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/portscope-cli-test-XXXXXX";
        if (mkdtemp(pattern) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return path_ + "/" + name; }
    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = file(name);
        std::ofstream(path) << text;
        return path;
    }

private:
    std::string path_;
};

} // namespace portscope::testing
