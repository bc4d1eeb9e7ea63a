#include "undo_window.h"

#include <algorithm>

#include "switchboard/time_format.h"

namespace sb::router {
namespace {

std::string key_of(const std::string& message_id) {
    return std::string(kUndoPrefix) + message_id;
}

}  // namespace

UndoWindow::Parked UndoWindow::park(const SendSms& sms, std::string_view created, Time now,
                                    WallTime wall) {
    Parked parked;
    if (window_.count() <= 0 || sms.agent_message_id.empty()) {
        parked.send_now = true;
        return parked;
    }
    // The window runs from the post's Webex time; a time that does not parse, or lies in the
    // future, counts as now.
    const WallTime posted = std::min(parse_iso8601(created).value_or(wall), wall);
    const auto left = posted + window_ - wall;
    if (left <= WallTime::duration::zero()) {
        parked.send_now = true;  // posted longer ago than the window (a catch-up, a slow path)
        return parked;
    }
    const auto due_wall = wall + left;
    add(sms, now + std::chrono::duration_cast<Time::duration>(left));
    parked.remember = Remembered{key_of(sms.agent_message_id),
                                 nlohmann::json{{"sms", sms}, {"due", iso8601(due_wall)}}};
    return parked;
}

std::optional<Remembered> UndoWindow::cancel(const std::string& message_id) {
    if (waiting_.erase(message_id) == 0) return std::nullopt;
    return Remembered{key_of(message_id), std::nullopt};
}

std::vector<UndoWindow::Due> UndoWindow::take_due(Time now) {
    std::vector<std::pair<std::uint64_t, std::string>> ready;
    for (const auto& [id, waiting] : waiting_) {
        if (waiting.due <= now) ready.emplace_back(waiting.order, id);
    }
    std::sort(ready.begin(), ready.end());
    std::vector<Due> due;
    for (const auto& [order, id] : ready) {
        auto found = waiting_.find(id);
        due.push_back({std::move(found->second.sms), Remembered{key_of(id), std::nullopt}});
        waiting_.erase(found);
    }
    return due;
}

std::vector<Remembered> UndoWindow::restore(const Memory& memory, Time now, WallTime wall) {
    std::vector<Remembered> unreadable;
    for (const auto& [key, value] : memory) {  // oldest first: the order they were posted in
        if (!has_prefix(key, kUndoPrefix)) continue;
        try {
            SendSms sms = value.at("sms").get<SendSms>();
            const auto due_wall = parse_iso8601(value.at("due").get<std::string>());
            if (!due_wall || sms.agent_message_id != key.substr(kUndoPrefix.size())) {
                unreadable.push_back({key, std::nullopt});
                continue;
            }
            // What is left of the window, never more than the window, never less than the grace.
            auto left = std::chrono::duration_cast<Time::duration>(*due_wall - wall);
            left = std::min<Time::duration>(left, window_);
            left = std::max<Time::duration>(left, kRestartGrace);
            add(std::move(sms), now + left);
        } catch (const std::exception&) {
            unreadable.push_back({key, std::nullopt});
        }
    }
    return unreadable;
}

void UndoWindow::add(SendSms sms, Time due) {
    std::string id = sms.agent_message_id;
    waiting_[std::move(id)] = Waiting{std::move(sms), due, next_order_++};
}

}  // namespace sb::router
