#include "process_details_panel.h"

#include "finding_format.h"
#include "finding_wording.h"
#include "portscope/core/update.h"
#include "portscope/platform/system.h"
#include "process_parents.h"
#include "row_format.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace portscope::gui {

namespace {

QString fromStd(const std::string& text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QLabel* valueLabel(QWidget* parent, const char* objectName) {
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    // Names and command lines come from other processes: never interpret them as markup.
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

struct HashOutcome {
    std::pair<std::int32_t, std::uint64_t> process;
    bool ok = false;
    QString text; // the digest, or why there is none
};

// Enough for every process a user hashes in a long session; bounds the memory all the same.
constexpr std::size_t kMaxCachedHashes = 4096;

HashOutcome hashRunningImage(std::pair<std::int32_t, std::uint64_t> process) {
    const core::ProcessKey key{process.first, process.second};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    bool deleted = false;
    const platform::ActionResult read = platform::readExecutableImage(
        key,
        [&hash](std::string_view chunk) {
            hash.addData(QByteArrayView(chunk.data(), static_cast<qsizetype>(chunk.size())));
        },
        &deleted);
    if (!read.ok()) {
        return {process, false, localizedActionMessage(read)};
    }
    const QString hex = QString::fromLatin1(hash.result().toHex());
    return {process, true,
            deleted ? QCoreApplication::translate("portscope::gui::ProcessDetailsPanel",
                                                  "%1 (deleted: hashed from the running image)")
                          .arg(hex)
                    : hex};
}

} // namespace

ProcessDetailsPanel::ProcessDetailsPanel(QWidget* parent) : QWidget(parent) {
    name_ = valueLabel(this, "detailName");
    pid_ = valueLabel(this, "detailPid");
    user_ = valueLabel(this, "detailUser");
    path_ = valueLabel(this, "detailPath");
    commandLine_ = valueLabel(this, "detailCommandLine");
    parent_ = valueLabel(this, "detailParent");
    started_ = valueLabel(this, "detailStarted");
    hash_ = valueLabel(this, "detailHash");
    findings_ = valueLabel(this, "detailFindings");
    note_ = valueLabel(this, "detailNote");
    hashButton_ = new QPushButton(tr("Compute SHA-256"), this);
    hashButton_->setObjectName(QStringLiteral("computeHashButton"));
    connect(hashButton_, &QPushButton::clicked, this, &ProcessDetailsPanel::computeHash);

    auto* hashRow = new QHBoxLayout();
    hashRow->addWidget(hash_, 1);
    hashRow->addWidget(hashButton_);

    auto* form = new QFormLayout();
    form->addRow(tr("Name:"), name_);
    form->addRow(tr("PID:"), pid_);
    form->addRow(tr("User:"), user_);
    form->addRow(tr("Path:"), path_);
    form->addRow(tr("Command line:"), commandLine_);
    form->addRow(tr("Parent:"), parent_);
    form->addRow(tr("Started:"), started_);
    form->addRow(tr("SHA-256:"), hashRow);
    form->addRow(tr("Findings:"), findings_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note_);
    layout->addStretch(1);
    showProcess(nullptr, nullptr);
}

ProcessDetailsPanel::~ProcessDetailsPanel() = default;

void ProcessDetailsPanel::showProcess(const core::ProcessRow* row, const core::Update* update) {
    const bool any = row != nullptr && row->process.key.valid();
    for (QLabel* label :
         {name_, pid_, user_, path_, commandLine_, parent_, started_, hash_, findings_}) {
        label->setEnabled(any);
    }
    hashButton_->setEnabled(false);
    if (!any) {
        for (QLabel* label :
             {name_, pid_, user_, path_, commandLine_, parent_, started_, hash_, findings_}) {
            label->clear();
        }
        note_->setText(tr("Select a process, or a connection that has one, to see its details."));
        shownProcess_ = {};
        return;
    }
    const core::Process& p = row->process;
    name_->setText(fromStd(p.name));
    pid_->setText(QString::number(p.key.pid));
    user_->setText(p.userName.empty()
                       ? QString::number(p.uid)
                       : tr("%1 (uid %2)").arg(fromStd(p.userName), QString::number(p.uid)));
    const QString path = fromStd(p.exePath);
    path_->setText(p.exeDeleted ? tr("%1 (deleted since it started)").arg(path) : path);
    commandLine_->setText(fromStd(p.commandLine));

    parent_->setText(ProcessParents::shared().describe(p, update));

    QStringList findingLines;
    if (update != nullptr) {
        for (const core::Finding& finding : update->findings) {
            if (finding.process == p.key) {
                findingLines << tr("%1 %2 %3: %4")
                                    .arg(severityGlyph(finding.severity),
                                         severityText(finding.severity), fromStd(finding.ruleId),
                                         localizedSummary(finding));
            }
        }
    }
    findings_->setText(findingLines.isEmpty() ? tr("none active")
                                              : findingLines.join(QLatin1Char('\n')));
    started_->setText(p.startedAtUnixMs != 0 ? dateTimeText(p.startedAtUnixMs) : tr("unknown"));
    note_->setText(p.detailsError.empty()
                       ? QString()
                       : tr("Some details could not be read: %1").arg(fromStd(p.detailsError)));

    shownProcess_ = {p.key.pid, p.key.startTime};
    if (const auto it = hashes_.constFind(shownProcess_); it != hashes_.constEnd()) {
        setHashText(*it);
    } else if (hashingProcess_ == shownProcess_) {
        setHashText(tr("computing…"));
    } else {
        setHashText(QString());
    }
    hashButton_->setEnabled(hashingProcess_.first == 0 && !hashes_.contains(shownProcess_));
}

QString ProcessDetailsPanel::findingsText() const {
    return findings_->text();
}

void ProcessDetailsPanel::computeHash() {
    if (shownProcess_.first <= 0 || hashingProcess_.first != 0) {
        return;
    }
    hashingProcess_ = shownProcess_;
    hashButton_->setEnabled(false);
    setHashText(tr("computing…"));
    auto* watcher = new QFutureWatcher<HashOutcome>(this);
    connect(watcher, &QFutureWatcher<HashOutcome>::finished, this, [this, watcher] {
        const HashOutcome outcome = watcher->result();
        watcher->deleteLater();
        hashingProcess_ = {};
        // A failure (no rights, process gone) may be retried; a digest stays true for the
        // process's lifetime, as its image cannot change.
        if (outcome.ok) {
            if (static_cast<std::size_t>(hashes_.size()) >= kMaxCachedHashes) {
                hashes_.clear();
            }
            hashes_.insert(outcome.process, outcome.text);
        }
        if (outcome.process == shownProcess_) {
            setHashText(outcome.text);
        }
        hashButton_->setEnabled(shownProcess_.first > 0 && !hashes_.contains(shownProcess_));
        Q_EMIT hashReady(outcome.text);
    });
    watcher->setFuture(QtConcurrent::run(hashRunningImage, hashingProcess_));
}

std::vector<std::pair<std::pair<std::int32_t, std::uint64_t>, QString>>
ProcessDetailsPanel::computedHashes() const {
    std::vector<std::pair<ProcessId, QString>> hashes;
    for (auto it = hashes_.constBegin(); it != hashes_.constEnd(); ++it) {
        hashes.emplace_back(it.key(), it.value());
    }
    return hashes;
}

QString ProcessDetailsPanel::computedHash(std::int32_t pid, std::uint64_t startTime) const {
    return hashes_.value(ProcessId{pid, startTime});
}

QString ProcessDetailsPanel::hashText() const {
    return hash_->text();
}

void ProcessDetailsPanel::setHashText(const QString& text) {
    hash_->setText(text);
}

} // namespace portscope::gui
