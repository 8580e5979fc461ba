#include "action_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QStyle>

namespace portscope::gui {

QIcon recordIcon() {
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0x7a, 0x10, 0x10), 1.5));
    painter.setBrush(QColor(0xd6, 0x24, 0x24));
    painter.drawEllipse(QRectF(5, 5, 22, 22));
    return QIcon(pixmap);
}

// The shield that marks actions needing administrator rights. Only the Windows style has one,
// and icon themes rarely name it, so elsewhere it is drawn.
QIcon shieldIcon(const QStyle* style) {
    QIcon icon = style->standardIcon(QStyle::SP_VistaShield);
    if (icon.isNull()) {
        icon = QIcon::fromTheme(QStringLiteral("security-high"));
    }
    if (!icon.isNull()) {
        return icon;
    }
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath shield;
    shield.moveTo(16, 2);
    shield.lineTo(28, 6);
    shield.cubicTo(28, 18, 24, 26, 16, 30);
    shield.cubicTo(8, 26, 4, 18, 4, 6);
    shield.closeSubpath();
    painter.fillPath(shield, QColor(0x2e, 0x6f, 0xbd));
    QPainterPath left;
    left.moveTo(16, 2);
    left.lineTo(4, 6);
    left.cubicTo(4, 18, 8, 26, 16, 30);
    left.closeSubpath();
    painter.fillPath(left, QColor(0xf2, 0xb8, 0x2e));
    painter.setPen(QPen(QColor(0x1b, 0x3a, 0x66), 1.5));
    painter.drawPath(shield);
    return QIcon(pixmap);
}

} // namespace portscope::gui
