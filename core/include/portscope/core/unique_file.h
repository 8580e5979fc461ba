#pragma once
// An owned C stream. Core reads and writes files through streams that others may open: the
// platform layer creates the files PortScope writes (private to the user, never through a
// symbolic link), which core cannot do without OS headers.

#include <cstdio>
#include <memory>

namespace portscope::core {

struct FileCloser {
    void operator()(std::FILE* file) const;
};
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

} // namespace portscope::core
