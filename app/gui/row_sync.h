#pragma once
// Brings a model's row vector in line with the next list of items, both sorted by the same
// key, as the fewest contiguous removes and inserts. Afterwards rows[i] shows items[i].

#include <cstddef>
#include <utility>
#include <vector>

namespace portscope::gui {

// rowKey(row) and itemKey(item) return comparable keys; makeRow(item) builds a new row.
// beginRemove(first, last) / endRemove() and beginInsert(first, last) / endInsert() wrap the
// model's own begin/end calls (rows are inclusive indices).
template <typename Row, typename Item, typename RowKey, typename ItemKey, typename MakeRow,
          typename BeginRemove, typename EndRemove, typename BeginInsert, typename EndInsert>
void syncRows(std::vector<Row>& rows, const std::vector<Item>& items, RowKey rowKey,
              ItemKey itemKey, MakeRow makeRow, BeginRemove beginRemove, EndRemove endRemove,
              BeginInsert beginInsert, EndInsert endInsert) {
    // Rows whose key is gone, as runs [first, last], found by one merge walk.
    std::vector<std::pair<std::size_t, std::size_t>> gone;
    {
        std::size_t i = 0;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto key = rowKey(rows[r]);
            while (i < items.size() && itemKey(items[i]) < key) {
                ++i;
            }
            const bool kept = i < items.size() && !(key < itemKey(items[i]));
            if (kept) {
                continue;
            }
            if (!gone.empty() && gone.back().second + 1 == r) {
                gone.back().second = r;
            } else {
                gone.emplace_back(r, r);
            }
        }
    }
    // From the end, so earlier indices stay valid.
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) {
        beginRemove(static_cast<int>(it->first), static_cast<int>(it->second));
        rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(it->first),
                   rows.begin() + static_cast<std::ptrdiff_t>(it->second) + 1);
        endRemove();
    }

    // Every remaining row has its item, in the same order; the items between are new.
    std::size_t k = 0;
    std::size_t i = 0;
    while (i < items.size()) {
        if (k < rows.size() && !(rowKey(rows[k]) < itemKey(items[i])) &&
            !(itemKey(items[i]) < rowKey(rows[k]))) {
            ++k;
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < items.size() && (k >= rows.size() || itemKey(items[i]) < rowKey(rows[k]))) {
            ++i;
        }
        const std::size_t count = i - start;
        if (count == 0) {
            // Unreachable while both lists are sorted; skipping keeps the loop finite.
            ++k;
            continue;
        }
        beginInsert(static_cast<int>(k), static_cast<int>(k + count - 1));
        std::vector<Row> fresh;
        fresh.reserve(count);
        for (std::size_t n = start; n < i; ++n) {
            fresh.push_back(makeRow(items[n]));
        }
        rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(k),
                    std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
        endInsert();
        k += count;
    }
}

} // namespace portscope::gui
