#pragma once
// A request body collected chunk by chunk, up to a cap. The contact form reads its own body
// (cpp-httplib's Post with a ContentReader) because the library's own read refuses any
// form-encoded body over 8,192 bytes (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH, compiled
// into Debian's build) — a quarter of what 2,000 Cyrillic characters take — before the handler
// runs. This cap is INGRESS_MAX_BODY_BYTES, and it holds for bodies sent without a
// Content-Length (chunked) too, which the library does not bound.
#include <cstddef>
#include <string>

namespace sb::web {

class CappedBody {
  public:
    // Past the cap, this much more is read and thrown away, so a client that sent a little too
    // much (chunked) still gets its 413 rather than a connection reset mid-upload; past that,
    // reading stops and the connection is given up.
    static constexpr std::size_t kDrainBytes = 1024 * 1024;

    explicit CappedBody(std::size_t cap) : cap_(cap) {}

    // Takes a chunk: kept while the body is within the cap, discarded after. False once the
    // body has gone kDrainBytes past the cap, which tells the reader to stop.
    bool append(const char* data, std::size_t size);
    bool over_cap() const { return seen_ > cap_; }
    // Meaningful only when !over_cap().
    const std::string& text() const { return text_; }

  private:
    std::size_t cap_;
    std::size_t seen_ = 0;
    std::string text_;
};

}  // namespace sb::web
