// The sensor choice's spelling, shared by every backend and front end.

#include "portscope/platform/system.h"

namespace portscope::platform {

std::string_view toString(SensorChoice choice) {
    switch (choice) {
    case SensorChoice::Auto:
        return "auto";
    case SensorChoice::Bpf:
        return "bpf";
    case SensorChoice::Poll:
        break;
    }
    return "poll";
}

std::optional<SensorChoice> parseSensorChoice(std::string_view text) {
    for (const SensorChoice choice : {SensorChoice::Auto, SensorChoice::Bpf, SensorChoice::Poll}) {
        if (text == toString(choice)) {
            return choice;
        }
    }
    return std::nullopt;
}

} // namespace portscope::platform
