import MKTSupport

/// A drawable shape of the synthetic world; each kind is one concept.
public enum SyntheticShape: String, Sendable, CaseIterable {
    case circle, square, triangle, ring, cross, diamond, stripes, frame, bar, ellipse, checker, dots

    /// Whether the pixel at (x, y), relative to the shape's centre and scaled by its radius `r`,
    /// belongs to the shape.
    func contains(dx: Double, dy: Double, r: Double) -> Bool {
        let ax = abs(dx), ay = abs(dy)
        switch self {
        case .circle: return dx * dx + dy * dy <= r * r
        case .square: return ax <= r * 0.85 && ay <= r * 0.85
        case .triangle: return dy <= r * 0.8 && dy >= -r && ax <= (dy + r) * 0.55
        case .ring:
            let d = dx * dx + dy * dy
            return d <= r * r && d >= r * r * 0.45
        case .cross: return (ax <= r * 0.28 && ay <= r) || (ay <= r * 0.28 && ax <= r)
        case .diamond: return ax + ay <= r
        case .stripes: return ax <= r && ay <= r && Int((dy + r) / (r * 0.34)) % 2 == 0
        case .frame: return ax <= r && ay <= r && (ax >= r * 0.7 || ay >= r * 0.7)
        case .bar: return ax <= r * 0.3 && ay <= r
        case .ellipse: return (dx * dx) / (r * r) + (dy * dy) / (r * r * 0.3) <= 1
        case .checker:
            return ax <= r && ay <= r && (Int((dx + r) / (r * 0.5)) + Int((dy + r) / (r * 0.5))) % 2 == 0
        case .dots:
            guard ax <= r && ay <= r else { return false }
            let cell = r * 0.5
            let gx = (dx + r).truncatingRemainder(dividingBy: cell) - cell / 2
            let gy = (dy + r).truncatingRemainder(dividingBy: cell) - cell / 2
            return gx * gx + gy * gy <= cell * cell * 0.12
        }
    }
}

/// A named colour of the synthetic world; colour words are (noisy) seen tags.
struct SyntheticColor: Sendable {
    let name: String
    let rgb: (UInt8, UInt8, UInt8)

    static let palette: [SyntheticColor] = [
        .init(name: "red", rgb: (210, 40, 40)), .init(name: "green", rgb: (40, 170, 60)),
        .init(name: "blue", rgb: (40, 80, 210)), .init(name: "yellow", rgb: (235, 210, 40)),
        .init(name: "purple", rgb: (140, 50, 170)), .init(name: "orange", rgb: (240, 140, 30)),
        .init(name: "white", rgb: (245, 245, 245)), .init(name: "black", rgb: (20, 20, 20)),
        .init(name: "cyan", rgb: (40, 200, 210)), .init(name: "pink", rgb: (240, 150, 190)),
    ]
}

/// One object of a scene.
struct SyntheticObject: Sendable {
    let shape: SyntheticShape
    let color: SyntheticColor
    let x: Double, y: Double, radius: Double
}

/// A synthetic image: a textured background and a few coloured shapes.
struct SyntheticScene: Sendable {
    let width: Int, height: Int
    let background: (UInt8, UInt8, UInt8)
    let objects: [SyntheticObject]
    let noiseSeed: UInt64

    /// Whether the background is light.
    var brightBackground: Bool {
        let (r, g, b) = background
        return 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b) > 128
    }

    /// [H, W, 3] RGB bytes: a vertical gradient with pixel noise, then the shapes in order.
    func render() -> [UInt8] {
        var rng = SplitMix64(seed: noiseSeed)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let (br, bg, bb) = background
        for y in 0..<height {
            let shade = 0.8 + 0.4 * Double(y) / Double(max(height - 1, 1))
            for x in 0..<width {
                let noise = Double(rng.int(in: -12...12))
                let i = (y * width + x) * 3
                pixels[i] = clamp(Double(br) * shade + noise)
                pixels[i + 1] = clamp(Double(bg) * shade + noise)
                pixels[i + 2] = clamp(Double(bb) * shade + noise)
            }
        }
        for object in objects {
            let r = object.radius
            let x0 = max(0, Int(object.x - r)), x1 = min(width - 1, Int(object.x + r) + 1)
            let y0 = max(0, Int(object.y - r)), y1 = min(height - 1, Int(object.y + r) + 1)
            guard x0 <= x1, y0 <= y1 else { continue }
            let (cr, cg, cb) = object.color.rgb
            for y in y0...y1 {
                for x in x0...x1 where object.shape.contains(dx: Double(x) - object.x, dy: Double(y) - object.y, r: r) {
                    let i = (y * width + x) * 3
                    let noise = Double(rng.int(in: -5...5))
                    pixels[i] = clamp(Double(cr) + noise)
                    pixels[i + 1] = clamp(Double(cg) + noise)
                    pixels[i + 2] = clamp(Double(cb) + noise)
                }
            }
        }
        return pixels
    }

    private func clamp(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
