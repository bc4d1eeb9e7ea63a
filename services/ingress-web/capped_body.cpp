#include "capped_body.h"

namespace sb::web {

bool CappedBody::append(const char* data, std::size_t size) {
    seen_ += size;
    if (seen_ <= cap_) {
        text_.append(data, size);
        return true;
    }
    text_.clear();  // never handed on
    return seen_ - cap_ <= kDrainBytes;
}

}  // namespace sb::web
