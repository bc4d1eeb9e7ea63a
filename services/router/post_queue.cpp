#include "post_queue.h"

#include <algorithm>

#include "opt_out_text.h"

namespace sb::router {

void PostQueue::push(const std::string& customer, EventRef ref, std::string event_id,
                     CustomerMessage message) {
    Queued queued;
    queued.ref = std::move(ref);
    queued.event_id = std::move(event_id);
    queued.message = std::move(message);
    lines_[customer].queue.push_back(std::move(queued));
}

PostQueue::Pumped PostQueue::pump(const std::string& customer, const RoomInfo* room,
                                  EarlierPosts& earlier, Commands& commands) {
    Pumped pumped;
    Line& line = lines_[customer];
    if (room == nullptr || line.retry.waiting()) return pumped;
    while (!line.queue.empty()) {
        Queued& front = line.queue.front();
        if (!front.in_flight.empty()) return pumped;
        if (!front.counted) {
            front.counted = true;
            front.parts = room_posts(front.message, forward_to_);
            // A STOP, START or HELP ends with the router's note about it (opt_out_text.h).
            if (auto note = keyword_note(front.message)) front.parts.push_back({*note, ""});
            ++pumped.shown;
            if (front.message.channel != "voice") pumped.text_shown = true;
        }
        front.posted = std::max(front.posted, earlier.posted(front.event_id));
        if (front.posted >= front.parts.size()) {
            pumped.complete.push_back(front.ref);  // done with the result that showed its last part
            earlier.forget(front.event_id);
            line.queue.pop_front();
            continue;
        }
        const RoomPost& part = front.parts[front.posted];
        PostMessage message{room->id, "", part.markdown};
        if (!part.file.empty()) message.files = {part.file};
        Envelope post = commands.make(event_type::post_message, customer, message);
        if (auto linked = post_id(front.posted, post.id, front.event_id)) post.id = *linked;
        front.in_flight = post.id;
        front.in_flight_room = room->id;
        commands_[post.id] = customer;
        pumped.post = std::move(post);
        return pumped;
    }
    return pumped;
}

std::optional<std::string> PostQueue::posted(const std::string& command_id) {
    const auto found = commands_.find(command_id);
    if (found == commands_.end()) return std::nullopt;  // notes, and posts of an earlier life
    const std::string customer = found->second;
    commands_.erase(found);
    Line& line = lines_[customer];
    if (line.queue.empty() || line.queue.front().in_flight != command_id) return std::nullopt;
    Queued& front = line.queue.front();
    front.in_flight.clear();
    ++front.posted;
    line.retry.reset();  // nothing is due: a post goes only when no retry waits
    return customer;
}

std::optional<PostQueue::Failed> PostQueue::failed(const std::string& command_id) {
    const auto found = commands_.find(command_id);
    if (found == commands_.end()) return std::nullopt;
    const std::string customer = found->second;
    commands_.erase(found);
    Line& line = lines_[customer];
    if (line.queue.empty() || line.queue.front().in_flight.empty()) return std::nullopt;
    Queued& front = line.queue.front();
    front.in_flight.clear();
    const bool file = front.posted < front.parts.size() && !front.parts[front.posted].file.empty();
    return Failed{customer, front.in_flight_room, file};
}

bool PostQueue::give_up_file(const std::string& customer, std::string_view reason) {
    Line& line = lines_[customer];
    if (line.queue.empty()) return false;
    Queued& front = line.queue.front();
    if (!front.in_flight.empty() || front.posted >= front.parts.size()) return false;
    RoomPost& part = front.parts[front.posted];
    if (part.file.empty()) return false;
    part = file_refused(part, reason);
    return true;
}

void PostQueue::retry_later(const std::string& customer, Time now) {
    lines_[customer].retry.failed(now, retry_);
}

void PostQueue::reset_retry(const std::string& customer) {
    lines_[customer].retry.reset();
}

std::vector<std::string> PostQueue::retries_due(Time now) {
    std::vector<std::string> due;
    for (auto& [customer, line] : lines_) {
        if (line.retry.due(now)) {
            line.retry.disarm();
            due.push_back(customer);
        }
    }
    return due;
}

bool PostQueue::empty(const std::string& customer) const {
    const auto found = lines_.find(customer);
    return found == lines_.end() || found->second.queue.empty();
}

bool PostQueue::retry_waiting(const std::string& customer) const {
    const auto found = lines_.find(customer);
    return found != lines_.end() && found->second.retry.waiting();
}

std::vector<std::string> PostQueue::customers_waiting() const {
    std::vector<std::string> waiting;
    for (const auto& [customer, line] : lines_) {
        if (!line.queue.empty()) waiting.push_back(customer);
    }
    return waiting;
}

size_t PostQueue::held() const {
    size_t count = 0;
    for (const auto& [customer, line] : lines_) count += line.queue.size();
    return count;
}

}  // namespace sb::router
