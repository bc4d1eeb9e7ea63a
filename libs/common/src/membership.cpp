#include "switchboard/membership.h"

#include <stdexcept>
#include <string>

namespace sb {
namespace {

// Far more replicas than anyone runs: a bound, so a broken folder cannot loop for ever.
constexpr std::uint32_t kMaxSlots = 4096;

std::filesystem::path slot_path(const std::filesystem::path& dir, std::uint32_t slot) {
    return dir / (std::to_string(slot) + ".lock");
}

}  // namespace

FileLock Membership::lease(const std::filesystem::path& dir, std::uint32_t& slot) {
    for (slot = 0; slot < kMaxSlots; ++slot) {
        if (auto lock = FileLock::try_take(slot_path(dir, slot))) return std::move(*lock);
    }
    throw std::runtime_error("no free slot under " + dir.string());
}

Membership::Membership(const std::filesystem::path& data_dir)
    : dir_(data_dir / "slots"), lock_(lease(dir_, slot_)) {}

std::uint32_t Membership::live_members() const {
    std::uint32_t live = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, error)) {
        if (entry.path().extension() == ".lock" && FileLock::is_held(entry.path())) ++live;
    }
    return live == 0 ? 1 : live;  // this replica holds one: never divide by zero
}

}  // namespace sb
