#include "finding_wording.h"

#include "portscope/core/findings_text.h"
#include "portscope/core/system_text.h"
#include "portscope/platform/system.h"

#include <QCoreApplication>
#include <QLocale>

namespace portscope::gui {
namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

class QtFindingWording final : public core::FindingWording {
public:
    std::string translate(const char* context, const char* english) const override {
        return QCoreApplication::translate(context, english).toStdString();
    }

    // Core writes "12,345" and "2.5"; the locale may write "12.345" and "2,5".
    std::string number(std::string english) const override {
        const QLocale locale;
        QString out;
        for (const char c : english) {
            if (c == ',') {
                out += locale.groupSeparator();
            } else if (c == '.') {
                out += locale.decimalPoint();
            } else {
                out += QLatin1Char(c);
            }
        }
        return out.toStdString();
    }
};

const QtFindingWording& qtWording() {
    static const QtFindingWording wording;
    return wording;
}

} // namespace

LocalizedFindingText localizedFindingText(const core::Finding& finding) {
    const core::FindingText text = core::renderFindingText(finding, qtWording());
    LocalizedFindingText out{fromStd(text.summary), fromStd(text.action), {}};
    for (const std::string& detail : text.details) {
        out.details << fromStd(detail);
    }
    return out;
}

QString localizedSummary(const core::Finding& finding) {
    return localizedFindingText(finding).summary;
}

QString localizedDuration(qint64 milliseconds) {
    return fromStd(core::wordDuration(milliseconds, qtWording()));
}

QString localizedSystemText(const core::SystemText& text) {
    return fromStd(core::wordSystemText(text, qtWording()));
}

QString localizedActionMessage(const platform::ActionResult& result) {
    return fromStd(platform::wordedMessage(result, qtWording()));
}

} // namespace portscope::gui
