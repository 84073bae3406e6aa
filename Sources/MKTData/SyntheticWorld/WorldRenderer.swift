import Foundation
import MKTImage
import MKTSupport

/// Draws a ``WorldScene`` into an ``RGBImage``.
///
/// Backgrounds are textured (sky: gradient and soft clouds; grass: vertical blades; sand:
/// speckles; water: horizontal waves). Objects are anti-aliased by 3×3 supersampling and drawn
/// in order; stripes and dots use a shade of the object's own colour (darker for light colours,
/// lighter for dark ones) so that the colour stays the object's dominant one. Every pixel gets a
/// little seeded noise. Same scene, same bytes.
enum WorldRenderer {
    static func render(_ scene: WorldScene, size: Int) -> RGBImage {
        var rng = SplitMix64(seed: scene.noiseSeed)
        var pixels = [Double](repeating: 0, count: size * size * 3)
        drawBackground(scene.background, size: size, into: &pixels, rng: &rng)
        for object in scene.objects { draw(object, size: size, into: &pixels) }
        var bytes = [UInt8](repeating: 0, count: pixels.count)
        for i in 0..<pixels.count {
            let noisy = pixels[i] + rng.uniform(-5, 5)
            bytes[i] = UInt8(max(0, min(255, noisy.rounded())))
        }
        return RGBImage(width: size, height: size, pixels: bytes)
    }

    // MARK: Backgrounds

    private static func drawBackground(_ background: WorldBackground, size: Int, into p: inout [Double], rng: inout SplitMix64) {
        let s = Double(size)
        switch background {
        case .sky:
            let clouds = (0..<rng.int(in: 1...3)).map { _ in
                (x: rng.uniform(0, s), y: rng.uniform(0, s * 0.6), rx: rng.uniform(0.12, 0.3) * s, ry: rng.uniform(0.05, 0.1) * s)
            }
            for y in 0..<size { for x in 0..<size {
                let t = Double(y) / s
                var c = [110 + 60 * t, 170 + 40 * t, 235 + 10 * t]
                for cloud in clouds {
                    let dx = (Double(x) - cloud.x) / cloud.rx, dy = (Double(y) - cloud.y) / cloud.ry
                    let w = max(0, 1 - (dx * dx + dy * dy)) * 0.85
                    for k in 0..<3 { c[k] = c[k] * (1 - w) + 250 * w }
                }
                set(&p, x, y, size, c)
            } }
        case .grass:
            let blades = (0..<size).map { _ in rng.uniform(-22, 22) }
            let phase = rng.uniform(0, 6.3)
            for y in 0..<size { for x in 0..<size {
                let v = blades[x] + 8 * sin(Double(y) * 0.9 + Double(x) * 2.1 + phase)
                set(&p, x, y, size, [70 + v * 0.6, 145 + v, 50 + v * 0.4])
            } }
        case .sand:
            for y in 0..<size { for x in 0..<size {
                let v = rng.uniform(-14, 14) + 6 * sin(Double(x + 2 * y) * 0.35)
                set(&p, x, y, size, [218 + v, 192 + v, 135 + v * 0.8])
            } }
        case .water:
            let phase = rng.uniform(0, 6.3), frequency = rng.uniform(0.5, 0.8)
            for y in 0..<size { for x in 0..<size {
                let wave = sin(Double(y) * frequency + 1.5 * sin(Double(x) * 0.25 + phase))
                let v = wave > 0.7 ? 45.0 : wave * 10
                set(&p, x, y, size, [30 + v, 90 + v, 165 + v * 0.6])
            } }
        }
    }

    @inline(__always)
    private static func set(_ p: inout [Double], _ x: Int, _ y: Int, _ size: Int, _ c: [Double]) {
        let i = (y * size + x) * 3
        p[i] = c[0]; p[i + 1] = c[1]; p[i + 2] = c[2]
    }

    // MARK: Objects

    /// The colour of the pattern (stripes, dots) on an object of colour `rgb`.
    static func patternColor(_ rgb: [Double]) -> [Double] {
        let luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
        return luma > 90 ? rgb.map { $0 * 0.45 } : rgb.map { $0 + (255 - $0) * 0.5 }
    }

    private static func draw(_ o: WorldObject, size: Int, into p: inout [Double]) {
        let r = o.radius
        let x0 = max(0, Int((o.x - r - 1).rounded(.down))), x1 = min(size - 1, Int((o.x + r + 1).rounded(.up)))
        let y0 = max(0, Int((o.y - r - 1).rounded(.down))), y1 = min(size - 1, Int((o.y + r + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let c = cos(o.rotation), s = sin(o.rotation)
        let pattern = patternColor(o.rgb)
        let period = max(3.0, Double(size) / 16)            // stripe and dot spacing in pixels
        let samples = 3
        for py in y0...y1 { for px in x0...x1 {
            var inside = 0, onPattern = 0
            for sy in 0..<samples { for sx in 0..<samples {
                let fx = Double(px) + (Double(sx) + 0.5) / Double(samples) - o.x
                let fy = Double(py) + (Double(sy) + 0.5) / Double(samples) - o.y
                // Rotate into the object's frame (pixels), then scale to the unit frame, v up.
                let lx = c * fx + s * fy, ly = -s * fx + c * fy
                guard o.shape.contains(u: lx / r, v: -ly / r) else { continue }
                inside += 1
                switch o.texture {
                case .plain: break
                case .striped:
                    let t = (ly / period + 100).truncatingRemainder(dividingBy: 1)
                    if t < 0.45 { onPattern += 1 }
                case .dotted:
                    let gx = (lx / period + 100).truncatingRemainder(dividingBy: 1) - 0.5
                    let gy = (ly / period + 100).truncatingRemainder(dividingBy: 1) - 0.5
                    if gx * gx + gy * gy < 0.09 { onPattern += 1 }
                }
            } }
            guard inside > 0 else { continue }
            let total = Double(samples * samples)
            let wBody = Double(inside - onPattern) / total, wPattern = Double(onPattern) / total
            let i = (py * size + px) * 3
            for k in 0..<3 {
                p[i + k] = p[i + k] * (1 - wBody - wPattern) + o.rgb[k] * wBody + pattern[k] * wPattern
            }
        } }
    }
}
