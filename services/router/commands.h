#pragma once
// The commands the core publishes: each with a fresh id (from the injected random source, so a
// test can predict them) and the router as its source; the time is stamped when it is published.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core_types.h"

namespace sb::router {

class Commands {
  public:
    Commands(std::string source, Random random)
        : source_(std::move(source)), random_(std::move(random)) {}

    // 32 lower-case hex digits from two draws.
    std::string new_id();
    // A draw for a random choice (a random active agent).
    std::uint64_t draw() { return random_(); }

    // The name fixes the payload's type: a command whose payload is not its name's struct does
    // not compile (as with make_event).
    template <class Payload>
    Envelope make(EventName<Payload> type, std::string key, const Payload& payload) {
        Envelope envelope = make_named(type, json(payload));
        envelope.key = std::move(key);
        return envelope;
    }

  private:
    Envelope make_named(std::string_view type, json payload);

    std::string source_;
    Random random_;
};

}  // namespace sb::router
