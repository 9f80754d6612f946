#pragma once
// Small valid GGUF files for the reader's tests and the fuzzer's seed corpus.
#include "inference/gguf/GgufWriter.h"

#include <vector>

namespace lucent::testing {

/// @brief A tiny model-like file: every metadata type, an array of strings, tensors of several types.
inline GgufWriter sampleWriter(uint32_t version = 3, uint32_t alignment = 32) {
    GgufWriter writer;
    writer.setVersion(version);
    writer.setString("general.architecture", "qwen2");
    writer.set("test.u8", GgufValue::unsignedInt(GgufType::U8, 200));
    writer.set("test.i8", GgufValue::signedInt(GgufType::I8, -100));
    writer.set("test.u16", GgufValue::unsignedInt(GgufType::U16, 60000));
    writer.set("test.i16", GgufValue::signedInt(GgufType::I16, -30000));
    writer.setU32("test.u32", 4000000000u);
    writer.setI32("test.i32", -2000000000);
    writer.setU64("test.u64", 18000000000000000000ull);
    writer.set("test.i64", GgufValue::signedInt(GgufType::I64, -9000000000000000000ll));
    writer.setF32("test.f32", 0.5f);
    writer.setF64("test.f64", 1e-300);
    writer.setBool("test.bool", true);
    writer.setString("test.string", "héllo ✓");
    writer.setStringArray("tokenizer.ggml.tokens", {"a", "b", "", "ü"});
    writer.setI32Array("tokenizer.ggml.token_type", {1, 1, 3, 4});
    writer.setF32Array("tokenizer.ggml.scores", {0.0f, -1.0f, -2.5f, 3.0f});
    writer.set("test.nested", GgufValue::array(GgufType::Array,
        {GgufValue::array(GgufType::U8, {GgufValue::unsignedInt(GgufType::U8, 1)}),
         GgufValue::array(GgufType::U8, {})}));
    if (alignment != 32) writer.setAlignment(alignment);
    std::vector<uint8_t> f32(4 * 8 * 3, 0);
    for (size_t i = 0; i < f32.size(); ++i) f32[i] = uint8_t(i);
    (void)writer.addTensor("a.f32", {8, 3}, TensorType::F32, f32);
    (void)writer.addTensor("b.q4_0", {64, 2}, TensorType::Q4_0, std::vector<uint8_t>(2 * 2 * 18, 0x11));
    (void)writer.addTensor("c.q6_k", {256}, TensorType::Q6_K, std::vector<uint8_t>(210, 0x22));
    (void)writer.addTensor("d.f16", {2, 2, 2, 2}, TensorType::F16, std::vector<uint8_t>(32, 0x33));
    return writer;
}

} // namespace lucent::testing
