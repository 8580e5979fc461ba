#include "process_properties_dialog.h"

#include "finding_format.h"
#include "finding_wording.h"
#include "portscope/core/update.h"
#include "process_icons.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>
#include <algorithm>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString localTime(std::int64_t unixMs) {
    return QDateTime::fromMSecsSinceEpoch(unixMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// Names, paths and command lines come from other processes: shown as plain text only, and
// selectable with mouse and keyboard.
QLabel* textLabel(QWidget* parent, const QString& objectName, const QString& text) {
    auto* label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

// One line that may be far wider than the dialog (a path, a digest): it scrolls instead of
// stretching the window.
QLineEdit* lineField(QWidget* parent, const QString& objectName, const QString& text) {
    auto* field = new QLineEdit(text, parent);
    field->setObjectName(objectName);
    field->setReadOnly(true);
    field->setCursorPosition(0);
    return field;
}

QPlainTextEdit* textField(QWidget* parent, const QString& objectName, const QString& text,
                          int lines) {
    auto* field = new QPlainTextEdit(text, parent);
    field->setObjectName(objectName);
    field->setReadOnly(true);
    field->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    const int lineHeight = field->fontMetrics().lineSpacing();
    field->setFixedHeight(lineHeight * lines + 2 * field->frameWidth() + 8);
    return field;
}

QString connectionsText(const core::ConnectionCounts& counts) {
    return ProcessPropertiesDialog::tr("%1 TCP, %2 UDP: %3 listening, %4 established, %5 closed "
                                       "recently")
        .arg(counts.tcp)
        .arg(counts.udp)
        .arg(counts.listening)
        .arg(counts.established)
        .arg(counts.closedRecently);
}

} // namespace

ProcessPropertiesDialog::ProcessPropertiesDialog(const core::ProcessRow& row,
                                                 const core::Update* update,
                                                 const QString& parentText, const QString& hash,
                                                 QWidget* parent)
    : QDialog(parent), process_{row.process.key.pid, row.process.key.startTime} {
    const core::Process& p = row.process;
    const QString name = fromStd(p.name);
    setObjectName(QStringLiteral("processProperties"));
    setWindowTitle(tr("Properties of %1 (PID %2)").arg(name, QString::number(p.key.pid)));
    setModal(false);
    setAttribute(Qt::WA_DeleteOnClose);

    // Heading: the program's icon and name.
    auto* icon = new QLabel(this);
    icon->setPixmap(ProcessIcons::shared().iconFor(fromStd(p.exePath), name).pixmap(QSize(32, 32)));
    auto* heading = textLabel(this, QStringLiteral("propertiesHeading"), name);
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.25);
    heading->setFont(headingFont);
    auto* headingRow = new QHBoxLayout();
    headingRow->addWidget(icon);
    headingRow->addWidget(heading, 1);

    form_ = new QFormLayout();
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    text_ += tr("Process properties") + QLatin1Char('\n');

    const QString pid = QString::number(p.key.pid);
    addRow(tr("Name:"), textLabel(this, QStringLiteral("propertiesName"), name), name);
    addRow(tr("PID:"), textLabel(this, QStringLiteral("propertiesPid"), pid), pid);
    addRow(tr("Parent:"), textLabel(this, QStringLiteral("propertiesParent"), parentText),
           parentText);
    const QString user = p.userName.empty()
                             ? QString::number(p.uid)
                             : tr("%1 (uid %2)").arg(fromStd(p.userName), QString::number(p.uid));
    addRow(tr("User:"), textLabel(this, QStringLiteral("propertiesUser"), user), user);
    const QString started = p.startedAtUnixMs != 0 ? localTime(p.startedAtUnixMs) : tr("unknown");
    addRow(tr("Started:"), textLabel(this, QStringLiteral("propertiesStarted"), started), started);
    QString path = p.exePath.empty() ? tr("unknown") : fromStd(p.exePath);
    if (p.exeDeleted) {
        path = tr("%1 (deleted since it started)").arg(path);
    }
    addRow(tr("Program:"), lineField(this, QStringLiteral("propertiesPath"), path), path);
    const QString commandLine = p.commandLine.empty() ? tr("unknown") : fromStd(p.commandLine);
    addRow(tr("Command line:"),
           textField(this, QStringLiteral("propertiesCommandLine"), commandLine, 3), commandLine);
    const QString digest =
        hash.isEmpty() ? tr("not computed (Process tab › Compute SHA-256)") : hash;
    auto* hashField = lineField(this, QStringLiteral("propertiesHash"), digest);
    if (!hash.isEmpty()) {
        hashField->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    addRow(tr("SHA-256:"), hashField, digest);
    const QString connections = connectionsText(row.counts);
    addRow(tr("Connections:"),
           textLabel(this, QStringLiteral("propertiesConnections"), connections), connections);

    QStringList findings;
    int findingCount = 0;
    if (update != nullptr) {
        for (const core::Finding& finding : update->findings) {
            if (finding.process == p.key) {
                ++findingCount;
                const LocalizedFindingText text = localizedFindingText(finding);
                findings << tr("%1 %2 %3: %4")
                                .arg(severityGlyph(finding.severity),
                                     severityText(finding.severity), fromStd(finding.ruleId),
                                     text.summary);
                if (!text.action.isEmpty()) {
                    findings << tr("    What to do: %1").arg(text.action);
                }
            }
        }
    }
    const QString findingText =
        findings.isEmpty() ? tr("none active") : findings.join(QLatin1Char('\n'));
    if (findings.isEmpty()) {
        addRow(tr("Findings:"), textLabel(this, QStringLiteral("propertiesFindings"), findingText),
               findingText);
    } else {
        // A finding's summary and action take about four lines at this width.
        constexpr int kLinesPerFinding = 4;
        constexpr int kMaxLines = 12;
        addRow(tr("Findings:"),
               textField(this, QStringLiteral("propertiesFindings"), findingText,
                         std::min(kMaxLines, kLinesPerFinding * findingCount)),
               QLatin1Char('\n') + findingText);
    }

    QStringList notes;
    if (update != nullptr && update->unixMs != 0) {
        notes << tr("As of %1; the list goes on updating.").arg(localTime(update->unixMs));
    }
    if (!p.detailsError.empty()) {
        notes << tr("Some details could not be read: %1").arg(fromStd(p.detailsError));
    }
    auto* note = textLabel(this, QStringLiteral("propertiesNote"), notes.join(QLatin1Char('\n')));
    note->setForegroundRole(QPalette::PlaceholderText);
    if (!notes.isEmpty()) {
        text_ += notes.join(QLatin1Char('\n')) + QLatin1Char('\n');
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("propertiesCopyButton"));
    copy->setToolTip(tr("Put every property on the clipboard as text"));
    connect(copy, &QPushButton::clicked, this, &ProcessPropertiesDialog::copyToClipboard);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(headingRow);
    layout->addLayout(form_);
    layout->addWidget(note);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(720, sizeHint().height());
}

ProcessPropertiesDialog::~ProcessPropertiesDialog() = default;

void ProcessPropertiesDialog::addRow(const QString& label, QWidget* value, const QString& plain) {
    form_->addRow(label, value);
    text_ += label + QLatin1Char(' ') + plain + QLatin1Char('\n');
}

void ProcessPropertiesDialog::copyToClipboard() {
    QApplication::clipboard()->setText(text_);
}

} // namespace portscope::gui
