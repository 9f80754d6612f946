#include "storage/ChatTypes.h"

#include <array>
#include <chrono>
#include <utility>

namespace lucent {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames = {{
    {Role::System, "system"},
    {Role::User, "user"},
    {Role::Assistant, "assistant"},
    {Role::Tool, "tool"},
}};

constexpr std::array<std::pair<FinishReason, std::string_view>, 4> kFinishNames = {{
    {FinishReason::Stop, "stop"},
    {FinishReason::Length, "length"},
    {FinishReason::Cancelled, "cancelled"},
    {FinishReason::Error, "error"},
}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [entry, name] : table)
        if (entry == value) return name;
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view name) {
    for (const auto& [entry, entryName] : table)
        if (entryName == name) return entry;
    return std::nullopt;
}

} // namespace

std::string_view roleName(Role role) { return nameOf(kRoleNames, role); }
std::optional<Role> roleFromName(std::string_view name) { return valueOf(kRoleNames, name); }
std::string_view finishReasonName(FinishReason reason) { return nameOf(kFinishNames, reason); }
std::optional<FinishReason> finishReasonFromName(std::string_view name) {
    return valueOf(kFinishNames, name);
}

std::int64_t nowMilliseconds() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace lucent
