#include "portscope/core/units.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string_view>

namespace portscope::core {

std::string formatDuration(std::int64_t milliseconds) {
    if (milliseconds < 0) {
        milliseconds = 0;
    }
    const std::int64_t seconds = (milliseconds + 500) / 1000;
    if (milliseconds < 10'000 && milliseconds % 1000 != 0) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(milliseconds) / 1000);
        return buffer;
    }
    if (seconds < 120) {
        return std::to_string(seconds) + " s";
    }
    const std::int64_t minutes = (seconds + 30) / 60;
    if (minutes < 120) {
        return std::to_string(minutes) + " min";
    }
    const std::int64_t hours = minutes / 60;
    const std::int64_t rest = minutes % 60;
    return std::to_string(hours) + " h" + (rest ? " " + std::to_string(rest) + " min" : "");
}

std::string formatBytes(std::uint64_t bytes) {
    static constexpr std::string_view kUnits[] = {"B", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    if (unit == 0) {
        std::snprintf(buffer, sizeof buffer, "%" PRIu64 " B", bytes);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f %s", value, kUnits[unit].data());
    }
    return buffer;
}

std::string formatRate(double bytesPerSecond) {
    if (!std::isfinite(bytesPerSecond) || bytesPerSecond < 0) {
        bytesPerSecond = 0;
    }
    return formatBytes(static_cast<std::uint64_t>(std::llround(bytesPerSecond))) + "/s";
}

std::string formatByteAmount(double bytes) {
    char buffer[32];
    if (bytes < 1024) {
        std::snprintf(buffer, sizeof buffer, "%.0f bytes", bytes);
    } else if (bytes < 1024.0 * 1024) {
        std::snprintf(buffer, sizeof buffer, "%.1f KB", bytes / 1024);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / (1024.0 * 1024));
    }
    return buffer;
}

std::string formatPerSecond(double perSecond) {
    char buffer[32];
    if (perSecond >= 100 || perSecond == std::floor(perSecond)) {
        std::snprintf(buffer, sizeof buffer, "%.0f", perSecond);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f", perSecond);
    }
    return buffer;
}

std::string formatPerSecondColumn(double perSecond) {
    char buffer[352]; // "%.0f" of the largest double has 309 digits
    std::snprintf(buffer, sizeof buffer, "%.*f", std::abs(perSecond) >= 100 ? 0 : 1, perSecond);
    return buffer;
}

std::string withThousands(std::uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    const std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && i >= lead && (i - lead) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

} // namespace portscope::core
