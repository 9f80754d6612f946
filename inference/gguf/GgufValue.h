#pragma once
/// @file
/// @brief One GGUF metadata value: a scalar, a string or an array of values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lucent {

/// @brief GGUF metadata value types, numbered as in the file format.
enum class GgufType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

/// @brief "u32", "string", "array" … for messages and `info` output.
std::string_view ggufTypeName(GgufType type);
/// @brief True for the integer types (U8 … I64).
bool isIntegerType(GgufType type);

/// @brief A metadata value. Integers keep their declared width so a writer round-trips exactly.
class GgufValue {
public:
    using Array = std::vector<GgufValue>;

    GgufValue() = default;
    static GgufValue unsignedInt(GgufType type, uint64_t value);
    static GgufValue signedInt(GgufType type, int64_t value);
    static GgufValue floating(GgufType type, double value);
    static GgufValue boolean(bool value);
    static GgufValue string(std::string value);
    static GgufValue array(GgufType elementType, Array elements);

    GgufType type() const { return type_; }
    /// @brief Element type of an array (meaningless for scalars).
    GgufType elementType() const { return elementType_; }

    /// @brief The value as an unsigned integer: any integer type holding a non-negative value.
    std::optional<uint64_t> asUInt() const;
    /// @brief The value as a signed integer: any integer type that fits in int64.
    std::optional<int64_t> asInt() const;
    /// @brief F32/F64 (integers too, converted) as double.
    std::optional<double> asFloat() const;
    std::optional<bool> asBool() const;
    std::optional<std::string_view> asString() const;
    /// @brief The elements of an array, or nullptr for a scalar.
    const Array* asArray() const;

    bool operator==(const GgufValue& other) const = default;

private:
    GgufType type_ = GgufType::U8;
    GgufType elementType_ = GgufType::U8;
    std::variant<uint64_t, int64_t, double, bool, std::string, Array> data_;
};

} // namespace lucent
