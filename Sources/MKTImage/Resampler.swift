/// Pillow-exact separable resampling of 8-bit RGB, evaluated on a window of the output.
///
/// Shapes: the source is [H, W, 3] with a row stride of `3 * W`; the result is the window
/// `rows x columns` of the full [outH, outW, 3] resize, [rows.count, columns.count, 3].
///
/// Pillow's `ImagingResampleInner`: a horizontal pass (only when the width changes) into an
/// 8-bit intermediate image, then a vertical pass (only when the height changes); each pass
/// accumulates `pixel * weight` in 32-bit integers starting from 2^21, shifts right by 22 and
/// clips to 0...255. Because every output pixel depends only on its own coefficients, computing
/// a window (e.g. only the centre crop) gives exactly the pixels of the full resize.
/// Pillow 13 runs the vertical pass first when the height shrinks by more than twice as many
/// pixels as the width does (`H > outH` and `H - outH > 2 (W - outW)`, python-pillow/Pillow
/// #9549); that order is reproduced (measured against Pillow 13.0.0 on random sizes, see
/// Docs/Images.md). NEAREST follows Pillow's affine
/// scaling (`ImagingScaleAffine`): source position `(int)(a * (o + 0.5))`, accumulated in
/// double precision as Pillow does.
enum Resampler {
    /// Resizes `source` ([height, width, 3]) to `outWidth x outHeight` and returns the window
    /// `rows x columns` of the result, [rows.count, columns.count, 3].
    static func resample(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
        outWidth: Int, outHeight: Int, filter: ResampleFilter,
        rows: Range<Int>, columns: Range<Int>
    ) -> [UInt8] {
        let count = rows.count * columns.count * 3
        var scratch: [UInt8] = []
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            resample(source, width: width, height: height, outWidth: outWidth, outHeight: outHeight, filter: filter,
                     rows: rows, columns: columns, into: buffer.baseAddress!, scratch: &scratch)
            initialized = count
        }
    }

    /// The same, writing the window into `output` (rows.count x columns.count x 3 bytes) and
    /// using `scratch` for the intermediate image (grown as needed, reusable across calls).
    static func resample(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
        outWidth: Int, outHeight: Int, filter: ResampleFilter,
        rows: Range<Int>, columns: Range<Int>,
        into output: UnsafeMutablePointer<UInt8>, scratch: inout [UInt8]
    ) {
        precondition(source.count >= width * height * 3, "source smaller than \(width)x\(height)x3")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= outHeight && !rows.isEmpty, "rows \(rows) outside 0..<\(outHeight)")
        precondition(columns.lowerBound >= 0 && columns.upperBound <= outWidth && !columns.isEmpty,
                     "columns \(columns) outside 0..<\(outWidth)")
        if outWidth == width && outHeight == height {
            copyWindow(source, width: width, rows: rows, columns: columns, into: output)
            return
        }
        if filter == .nearest {
            nearest(source, width: width, height: height, outWidth: outWidth, outHeight: outHeight,
                    rows: rows, columns: columns, into: output)
            return
        }
        let needHorizontal = outWidth != width
        let needVertical = outHeight != height
        let verticalFirst = needHorizontal && needVertical && outHeight < height
            && (height - outHeight) > 2 * (width - outWidth)
        let base = source.baseAddress!

        if verticalFirst {
            // Vertical pass first: (W, H) -> (W, outH) -> (outW, outH).
            let xc = ResampleCoefficients(inputSize: width, outputSize: outWidth, filter: filter, window: columns)
            let yc = ResampleCoefficients(inputSize: height, outputSize: outHeight, filter: filter, window: rows)
            let spanStart = xc.inputStart, spanCount = xc.inputEnd - xc.inputStart
            grow(&scratch, to: rows.count * spanCount * 3)
            scratch.withUnsafeMutableBufferPointer { middle in
                vertical(base, stride: width * 3, columnStart: spanStart, columnCount: spanCount,
                         rowOffset: 0, coefficients: yc, into: middle.baseAddress!)
                horizontal(UnsafePointer(middle.baseAddress!), stride: spanCount * 3, columnOffset: spanStart,
                           rowCount: rows.count, coefficients: xc, into: output)
            }
            return
        }
        if needHorizontal {
            let xc = ResampleCoefficients(inputSize: width, outputSize: outWidth, filter: filter, window: columns)
            guard needVertical else {
                horizontal(base + rows.lowerBound * width * 3, stride: width * 3, columnOffset: 0,
                           rowCount: rows.count, coefficients: xc, into: output)
                return
            }
            let yc = ResampleCoefficients(inputSize: height, outputSize: outHeight, filter: filter, window: rows)
            let inputRows = yc.inputStart..<yc.inputEnd
            grow(&scratch, to: inputRows.count * columns.count * 3)
            scratch.withUnsafeMutableBufferPointer { middle in
                horizontal(base + inputRows.lowerBound * width * 3, stride: width * 3, columnOffset: 0,
                           rowCount: inputRows.count, coefficients: xc, into: middle.baseAddress!)
                vertical(UnsafePointer(middle.baseAddress!), stride: columns.count * 3, columnStart: 0,
                         columnCount: columns.count, rowOffset: inputRows.lowerBound, coefficients: yc, into: output)
            }
            return
        }
        // Only the height changes.
        let yc = ResampleCoefficients(inputSize: height, outputSize: outHeight, filter: filter, window: rows)
        vertical(base, stride: width * 3, columnStart: columns.lowerBound, columnCount: columns.count,
                 rowOffset: 0, coefficients: yc, into: output)
    }

    /// Makes `buffer` hold at least `count` bytes (contents unspecified).
    static func grow(_ buffer: inout [UInt8], to count: Int) {
        if buffer.count < count {
            buffer = [UInt8](repeating: 0, count: count)
        }
    }

    /// Pillow's `clip8`: the accumulator shifted right by 22 bits, clipped to 0...255.
    @inline(__always)
    static func clip8(_ sum: Int32) -> UInt8 {
        let v = sum >> ResampleCoefficients.precisionBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(truncatingIfNeeded: v))
    }

    /// Horizontal pass: for `rowCount` rows of `input` (row stride `stride` bytes, whose first
    /// byte is source column `columnOffset`), computes the output columns of `coefficients`.
    /// `output` is [rowCount, window, 3].
    static func horizontal(
        _ input: UnsafePointer<UInt8>, stride: Int, columnOffset: Int, rowCount: Int,
        coefficients c: ResampleCoefficients, into output: UnsafeMutablePointer<UInt8>
    ) {
        let outCount = c.first.count
        let taps = c.taps
        let half: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)
        c.first.withUnsafeBufferPointer { first in
            c.count.withUnsafeBufferPointer { count in
                c.weights.withUnsafeBufferPointer { weights in
                    var r = 0
                    // Two rows at a time share the coefficient loads and the loop overhead.
                    while r + 1 < rowCount {
                        let line0 = input + r * stride, line1 = line0 + stride
                        let out0 = output + r * outCount * 3, out1 = out0 + outCount * 3
                        for o in 0..<outCount {
                            var a0 = half, a1 = half, a2 = half
                            var b0 = half, b1 = half, b2 = half
                            let k = weights.baseAddress! + o * taps
                            let offset = (Int(first[o]) - columnOffset) * 3
                            var p = line0 + offset, q = line1 + offset
                            for j in 0..<Int(count[o]) {
                                let w = k[j]
                                a0 = a0 &+ Int32(p[0]) &* w
                                a1 = a1 &+ Int32(p[1]) &* w
                                a2 = a2 &+ Int32(p[2]) &* w
                                b0 = b0 &+ Int32(q[0]) &* w
                                b1 = b1 &+ Int32(q[1]) &* w
                                b2 = b2 &+ Int32(q[2]) &* w
                                p += 3
                                q += 3
                            }
                            out0[3 * o] = clip8(a0)
                            out0[3 * o + 1] = clip8(a1)
                            out0[3 * o + 2] = clip8(a2)
                            out1[3 * o] = clip8(b0)
                            out1[3 * o + 1] = clip8(b1)
                            out1[3 * o + 2] = clip8(b2)
                        }
                        r += 2
                    }
                    if r < rowCount {
                        let line = input + r * stride
                        let out = output + r * outCount * 3
                        for o in 0..<outCount {
                            var s0 = half, s1 = half, s2 = half
                            let k = weights.baseAddress! + o * taps
                            var p = line + (Int(first[o]) - columnOffset) * 3
                            for j in 0..<Int(count[o]) {
                                let w = k[j]
                                s0 = s0 &+ Int32(p[0]) &* w
                                s1 = s1 &+ Int32(p[1]) &* w
                                s2 = s2 &+ Int32(p[2]) &* w
                                p += 3
                            }
                            out[3 * o] = clip8(s0)
                            out[3 * o + 1] = clip8(s1)
                            out[3 * o + 2] = clip8(s2)
                        }
                    }
                }
            }
        }
    }

    /// Vertical pass: for the output rows of `coefficients`, reads rows `first - rowOffset ...`
    /// of `input` (row stride `stride` bytes), columns `columnStart ..< columnStart +
    /// columnCount`. `output` is [window, columnCount, 3].
    static func vertical(
        _ input: UnsafePointer<UInt8>, stride: Int, columnStart: Int, columnCount: Int, rowOffset: Int,
        coefficients c: ResampleCoefficients, into output: UnsafeMutablePointer<UInt8>
    ) {
        let n = columnCount * 3
        let taps = c.taps
        let half: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)
        let accumulator = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { accumulator.deallocate() }
        c.first.withUnsafeBufferPointer { first in
            c.count.withUnsafeBufferPointer { count in
                c.weights.withUnsafeBufferPointer { weights in
                    for o in 0..<first.count {
                        accumulator.update(repeating: half, count: n)
                        let k = weights.baseAddress! + o * taps
                        let start = Int(first[o]) - rowOffset
                        for j in 0..<Int(count[o]) {
                            let w = k[j]
                            let line = input + (start + j) * stride + columnStart * 3
                            for i in 0..<n {
                                accumulator[i] = accumulator[i] &+ Int32(line[i]) &* w
                            }
                        }
                        let out = output + o * n
                        for i in 0..<n {
                            out[i] = clip8(accumulator[i])
                        }
                    }
                }
            }
        }
    }

    /// The window of an unchanged image.
    static func copyWindow(_ source: UnsafeBufferPointer<UInt8>, width: Int, rows: Range<Int>, columns: Range<Int>) -> [UInt8] {
        let count = rows.count * columns.count * 3
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            copyWindow(source, width: width, rows: rows, columns: columns, into: buffer.baseAddress!)
            initialized = count
        }
    }

    /// The window of an unchanged image, into `output`.
    static func copyWindow(_ source: UnsafeBufferPointer<UInt8>, width: Int, rows: Range<Int>, columns: Range<Int>,
                           into output: UnsafeMutablePointer<UInt8>) {
        for (r, y) in rows.enumerated() {
            let from = source.baseAddress! + (y * width + columns.lowerBound) * 3
            (output + r * columns.count * 3).update(from: from, count: columns.count * 3)
        }
    }

    /// Nearest neighbour as Pillow's `ImagingScaleAffine` (positions accumulated in double).
    static func nearest(
        _ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, outWidth: Int, outHeight: Int,
        rows: Range<Int>, columns: Range<Int>, into out: UnsafeMutablePointer<UInt8>
    ) {
        func table(_ inSize: Int, _ outSize: Int) -> [Int] {
            let step = Double(Float(inSize) - Float(0)) / Double(outSize)
            var position = 0.0 + step * 0.5
            var result = [Int](repeating: -1, count: outSize)
            for o in 0..<outSize {
                let i = position < 0.0 ? -1 : Int(position)
                result[o] = (i >= 0 && i < inSize) ? i : -1
                position += step
            }
            return result
        }
        let xs = table(width, outWidth)
        let ys = table(height, outHeight)
        out.update(repeating: 0, count: rows.count * columns.count * 3)
        for (r, y) in rows.enumerated() {
            let sy = ys[y]
            if sy < 0 { continue }
            for (c, x) in columns.enumerated() {
                let sx = xs[x]
                if sx < 0 { continue }
                let from = (sy * width + sx) * 3
                let to = (r * columns.count + c) * 3
                out[to] = source[from]
                out[to + 1] = source[from + 1]
                out[to + 2] = source[from + 2]
            }
        }
    }
}
