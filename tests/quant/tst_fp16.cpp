// fp16 / bf16 conversions: known bit patterns, all 65,536 halves round-trip, ties to even.
#include "inference/quant/Fp16.h"

#include <QTest>
#include <bit>
#include <cmath>
#include <limits>

using namespace lucent;

class TestFp16 : public QObject {
    Q_OBJECT

private slots:
    void knownValues() {
        QCOMPARE(floatToHalf(0.0f), uint16_t(0x0000));
        QCOMPARE(floatToHalf(-0.0f), uint16_t(0x8000));
        QCOMPARE(floatToHalf(1.0f), uint16_t(0x3c00));
        QCOMPARE(floatToHalf(-2.0f), uint16_t(0xc000));
        QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));
        QCOMPARE(floatToHalf(65520.0f), uint16_t(0x7c00)); // halfway to 65536 rounds to inf
        QCOMPARE(floatToHalf(1e9f), uint16_t(0x7c00));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -24)), uint16_t(0x0001)); // smallest subnormal
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -25)), uint16_t(0x0000)); // tie → even (0)
        QCOMPARE(floatToHalf(std::ldexp(1.5f, -25)), uint16_t(0x0001));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -14)), uint16_t(0x0400)); // smallest normal
        QCOMPARE(halfToFloat(0x3555), 0.333251953125f);
        QVERIFY(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
        QCOMPARE(halfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
    }

    void everyHalfRoundTrips() {
        for (uint32_t bits = 0; bits < 65536; ++bits) {
            const float value = halfToFloat(uint16_t(bits));
            if (std::isnan(value)) {
                QVERIFY(std::isnan(halfToFloat(floatToHalf(value))));
                continue;
            }
            if (floatToHalf(value) != bits) QFAIL(qPrintable(QString("half 0x%1 does not round-trip").arg(bits, 4, 16)));
        }
    }

    void tiesRoundToEven() {
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: even mantissa (1.0) wins.
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        // 1 + 3·2^-11 is halfway between 0x3c01 and 0x3c02: 0x3c02 (even) wins.
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        // Just above the halfway point rounds up.
        QCOMPARE(floatToHalf(std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f)), uint16_t(0x3c01));
    }

    void matchesNearestForRandomFloats() {
        // The nearest half (by value) must be what floatToHalf returns, checked by brute force on
        // neighbours; magnitudes within the normal range.
        uint32_t state = 12345;
        for (int i = 0; i < 200000; ++i) {
            state = state * 1664525u + 1013904223u;
            const float x = std::ldexp(float(state >> 8) / float(1u << 24), int(state % 30) - 14) *
                            ((state & 1) ? -1.0f : 1.0f);
            const uint16_t h = floatToHalf(x);
            const float error = std::fabs(halfToFloat(h) - x);
            for (int delta : {-1, 1}) {
                const float other = halfToFloat(uint16_t(h + delta));
                if (std::isfinite(other) && std::signbit(other) == std::signbit(x))
                    QVERIFY(error <= std::fabs(other - x));
            }
        }
    }

    void bf16() {
        QCOMPARE(floatToBf16(1.0f), uint16_t(0x3f80));
        QCOMPARE(bf16ToFloat(0x3f80), 1.0f);
        QCOMPARE(floatToBf16(std::bit_cast<float>(0x3f808000u)), uint16_t(0x3f80)); // tie → even
        QCOMPARE(floatToBf16(std::bit_cast<float>(0x3f818000u)), uint16_t(0x3f82)); // tie → even
        QCOMPARE(floatToBf16(std::bit_cast<float>(0x3f808001u)), uint16_t(0x3f81));
        const uint16_t nan = floatToBf16(std::bit_cast<float>(0x7f800001u)); // signalling NaN
        QVERIFY(std::isnan(bf16ToFloat(nan)));
        for (uint32_t bits = 0; bits < 65536; ++bits)
            if (!std::isnan(bf16ToFloat(uint16_t(bits)))) QCOMPARE(floatToBf16(bf16ToFloat(uint16_t(bits))), uint16_t(bits));
    }
};

QTEST_GUILESS_MAIN(TestFp16)
#include "tst_fp16.moc"
