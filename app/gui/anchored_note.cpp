#include "anchored_note.h"

#include <QEvent>
#include <algorithm>

namespace portscope::gui {

AnchoredNote::AnchoredNote(QWidget* anchor, QWidget* parent) : QLabel(parent), anchor_(anchor) {
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    setAutoFillBackground(true);
    setMargin(4);
    setFrameShape(QFrame::Box);
    setStyleSheet(QStringLiteral("QLabel { color: #b00020; background: #fff5f5; "
                                 "border: 1px solid #e0a0a8; }"));
    hide();
    anchor_->installEventFilter(this);
    parent->installEventFilter(this);
}

void AnchoredNote::showText(const QString& text) {
    setText(text);
    place();
    show();
    raise();
}

bool AnchoredNote::eventFilter(QObject* watched, QEvent* event) {
    if (isVisible() && (event->type() == QEvent::Resize || event->type() == QEvent::Move)) {
        place();
    }
    return QLabel::eventFilter(watched, event);
}

void AnchoredNote::place() {
    QWidget* area = parentWidget();
    const QPoint below = anchor_->mapTo(area, QPoint(0, anchor_->height() + 2));
    const int width = std::max(anchor_->width(), std::min(area->width() - below.x(), 600));
    setFixedWidth(std::min(width, area->width() - below.x()));
    setFixedHeight(heightForWidth(this->width()));
    move(below);
}

} // namespace portscope::gui
