#pragma once
/// @file
/// @brief Lucent's one error policy: Qt-free modules return `Expected<T>`, never throw across a
/// module or thread boundary. An `Error` carries a sentence a user can read and act on.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace lucent {

/// @brief A failure a user can understand: "model.gguf is truncated: tensor 'output.weight' ends
/// past the end of the file." — a full sentence, no codes to look up.
struct Error {
    std::string message;
};

/// @brief Wraps an Error so `return fail("…")` converts to any `Expected<T>`.
struct Unexpected {
    Error error;
};

/// @brief Builds the error side of an Expected from a user-facing sentence.
inline Unexpected fail(std::string message) { return Unexpected{Error{std::move(message)}}; }
inline Unexpected fail(Error error) { return Unexpected{std::move(error)}; }

/// @brief A value or an Error (a small std::expected for C++20).
template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(state_); }
    const T& value() const& { assert(ok()); return std::get<0>(state_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

/// @brief Success without a value, or an Error.
template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Unexpected failure) : error_(std::move(failure.error)), failed_(true) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(failed_); return error_; }

private:
    Error error_;
    bool failed_ = false;
};

} // namespace lucent
