#include "switchboard/ids.h"

#include <cstdint>
#include <random>

namespace sb {

std::string new_id() {
    // One generator per thread, seeded from the OS: ids must not collide across processes.
    thread_local std::mt19937_64 generator{[] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64{seed};
    }()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (size_t half = 0; half < 2; ++half) {
        std::uint64_t bits = generator();
        for (size_t i = 0; i < 16; ++i) {
            id[half * 16 + i] = kHex[bits & 0xF];
            bits >>= 4;
        }
    }
    return id;
}

}  // namespace sb
