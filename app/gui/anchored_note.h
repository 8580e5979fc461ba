#pragma once

#include <QLabel>

namespace portscope::gui {

// A one-paragraph note that floats just below another widget, over whatever is there,
// instead of taking a place in the layout: a filter error that appeared as a line of its own
// pushed the list down under the pointer while the user typed.
class AnchoredNote final : public QLabel {
    Q_OBJECT
public:
    // `anchor` and the note share `parent`, which the note covers part of.
    AnchoredNote(QWidget* anchor, QWidget* parent);

    void showText(const QString& text);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void place();

    QWidget* anchor_;
};

} // namespace portscope::gui
