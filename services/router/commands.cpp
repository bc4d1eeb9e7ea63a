#include "commands.h"

#include "switchboard/text.h"

namespace sb::router {

std::string Commands::new_id() {
    std::string bytes;
    for (int word = 0; word < 2; ++word) {
        std::uint64_t bits = random_();
        // Least significant byte first, so the id's first digits vary from draw to draw: a post
        // id keeps only its first 12 (post_ids.h).
        for (int i = 0; i < 8; ++i) {
            bytes += static_cast<char>(bits & 0xFF);
            bits >>= 8;
        }
    }
    return hex_lower(bytes);
}

Envelope Commands::make_named(std::string_view type, json payload) {
    Envelope envelope;
    envelope.id = new_id();
    envelope.type = std::string(type);
    envelope.source = source_;
    envelope.payload = std::move(payload);
    return envelope;  // the time is stamped when it is published
}

}  // namespace sb::router
