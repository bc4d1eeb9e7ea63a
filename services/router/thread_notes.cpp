#include "thread_notes.h"

namespace sb::router {

Envelope ThreadNotes::post(const std::string& key, const PostMessage& note, Commands& commands) {
    const std::string id = commands.new_id();
    Note& kept = notes_[id];
    kept.key = key;
    kept.post = note;
    changes_.push_back({std::string(kNotePrefix) + id, json{{"key", key}, {"post", note}}});
    return send(id, kept, commands);
}

Envelope ThreadNotes::send(const std::string& id, Note& note, Commands& commands) {
    Envelope command = commands.make(event_type::post_message, note.key, note.post);
    note.in_flight = command.id;
    in_flight_[command.id] = id;
    return command;
}

void ThreadNotes::drop(const std::string& id) {
    notes_.erase(id);
    changes_.push_back({std::string(kNotePrefix) + id, std::nullopt});
}

void ThreadNotes::posted(const std::string& command_id) {
    const auto found = in_flight_.find(command_id);
    if (found == in_flight_.end()) return;
    const std::string id = found->second;
    in_flight_.erase(found);
    drop(id);
}

void ThreadNotes::failed(const std::string& command_id, int status, Time now) {
    const auto found = in_flight_.find(command_id);
    if (found == in_flight_.end()) return;
    const std::string id = found->second;
    in_flight_.erase(found);
    if (status == 404 || status == 403 || status == 410) {
        drop(id);  // the room is gone (spark-gateway already posts outside a refused thread)
        return;
    }
    Note& note = notes_.at(id);
    note.in_flight.clear();
    note.retry.failed(now, retry_);
}

std::vector<Envelope> ThreadNotes::due(Time now, Commands& commands) {
    std::vector<Envelope> commands_due;
    for (auto& [id, note] : notes_) {
        if (!note.in_flight.empty() || !note.retry.due(now)) continue;
        note.retry.disarm();
        commands_due.push_back(send(id, note, commands));
    }
    return commands_due;
}

std::vector<Remembered> ThreadNotes::take_changes() {
    std::vector<Remembered> taken;
    taken.swap(changes_);
    return taken;
}

void ThreadNotes::restore(const Memory& memory, Time now) {
    for (const auto& [key, value] : memory) {
        if (!has_prefix(key, kNotePrefix) || key.size() == kNotePrefix.size()) continue;
        try {
            Note note;
            note.key = value.at("key").get<std::string>();
            note.post = value.at("post").get<PostMessage>();
            note.retry.at = now;  // due at once
            notes_[key.substr(kNotePrefix.size())] = std::move(note);
        } catch (const std::exception&) {
            // A malformed fact is skipped: one note lost rather than a router that cannot start.
        }
    }
}

}  // namespace sb::router
