#include "portscope/core/unique_file.h"

namespace portscope::core {

void FileCloser::operator()(std::FILE* file) const {
    std::fclose(file);
}

} // namespace portscope::core
