#pragma once
// Brings a model's row vector in line with the next list of items, both sorted by the same
// key, as the fewest contiguous removes and inserts. Afterwards rows[i] shows items[i].

#include <algorithm>
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

// Past this many runs of gone rows, a model moves them to the end in one layout change and
// removes them with one signal: each removal signal costs a proxy (and, with recursive
// filtering, a scan of the parent's children) and a view a pass over every row, and expired
// tombstones lie scattered, so a busy tick can mean a thousand runs.
inline constexpr std::size_t kGoneRunsWorthALayoutChange = 16;

// Marks which rows keep their item (both lists sorted by key, as for syncRows); returns the
// number of runs of consecutive gone rows.
template <typename Row, typename Item, typename RowKey, typename ItemKey>
std::size_t markKeptRows(const std::vector<Row>& rows, const std::vector<Item>& items,
                         RowKey rowKey, ItemKey itemKey, std::vector<bool>& kept) {
    kept.assign(rows.size(), false);
    std::size_t runs = 0;
    std::size_t i = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto key = rowKey(rows[r]);
        while (i < items.size() && itemKey(items[i]) < key) {
            ++i;
        }
        kept[r] = i < items.size() && !(key < itemKey(items[i]));
        if (!kept[r] && (r == 0 || kept[r - 1])) {
            ++runs;
        }
    }
    return runs;
}

// Moves the rows not kept to the end, the rest keeping their order; newRow[old] is each
// row's new index. Returns how many rows are kept.
template <typename Row>
std::size_t moveGoneRowsToEnd(std::vector<Row>& rows, const std::vector<bool>& kept,
                              std::vector<int>& newRow) {
    newRow.assign(rows.size(), 0);
    std::vector<Row> reordered;
    reordered.reserve(rows.size());
    for (const bool keep : {true, false}) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (kept[r] == keep) {
                newRow[r] = static_cast<int>(reordered.size());
                reordered.push_back(std::move(rows[r]));
            }
        }
    }
    rows.swap(reordered);
    return static_cast<std::size_t>(std::count(kept.begin(), kept.end(), true));
}

} // namespace portscope::gui
