import Foundation

/// The things of the synthetic world and the words for them.
///
/// Every attribute is a closed set with one caption word per value; the label names of the
/// downstream data set are these words.

/// A drawable shape; each is a seen label of the downstream data set.
public enum WorldShape: String, Sendable, CaseIterable, Codable {
    case circle, square, triangle, star, ring, cross, moon, diamond

    /// The caption word.
    public var word: String { rawValue }

    /// Whether the point (u, v) of the unit frame (object centre at 0, radius 1, v up) is inside.
    func contains(u: Double, v: Double) -> Bool {
        switch self {
        case .circle:
            return u * u + v * v <= 1
        case .square:
            return abs(u) <= 0.8 && abs(v) <= 0.8
        case .diamond:
            return abs(u) + abs(v) <= 1
        case .triangle:
            // Vertices (0, 1), (±0.87, −0.6).
            guard v >= -0.6, v <= 1 else { return false }
            return abs(u) <= 0.87 * (1 - v) / 1.6
        case .ring:
            let r2 = u * u + v * v
            return r2 <= 1 && r2 >= 0.3
        case .cross:
            return (abs(u) <= 0.3 && abs(v) <= 0.95) || (abs(v) <= 0.3 && abs(u) <= 0.95)
        case .moon:
            let outer = u * u + v * v <= 1
            let du = u - 0.45, dv = v - 0.2
            return outer && du * du + dv * dv > 0.62
        case .star:
            // Five points: the boundary radius goes linearly (in angle) from 1 at a point to
            // 0.42 between two points.
            let r = (u * u + v * v).squareRoot()
            guard r <= 1 else { return false }
            if r <= 0.42 { return true }
            var angle = atan2(v, u) - Double.pi / 2
            let sector = 2 * Double.pi / 5
            angle = angle - sector * (angle / sector).rounded(.down)
            let t = abs(angle / sector * 2 - 1)           // 1 at a point, 0 between points
            return r <= 0.42 + 0.58 * t
        }
    }
}

/// An object colour; the colours are the unseen labels of the downstream data set.
public enum WorldColor: String, Sendable, CaseIterable, Codable {
    case red, orange, yellow, green, blue, purple, pink, black

    /// The caption word.
    public var word: String { rawValue }

    /// The base RGB value (each object jitters around it).
    var rgb: (Double, Double, Double) {
        switch self {
        case .red: (215, 35, 35)
        case .orange: (245, 135, 20)
        case .yellow: (245, 220, 35)
        case .green: (35, 185, 55)
        case .blue: (35, 70, 225)
        case .purple: (135, 50, 185)
        case .pink: (245, 125, 190)
        case .black: (22, 22, 22)
        }
    }
}

/// The surface pattern of an object: stripes and dots are seen labels; plain is no label.
public enum WorldTexture: String, Sendable, CaseIterable, Codable {
    case plain, striped, dotted

    /// The caption word (`nil` for plain).
    public var word: String? { self == .plain ? nil : rawValue }
}

/// The scene's background; each is a seen label.
public enum WorldBackground: String, Sendable, CaseIterable, Codable {
    case sky, grass, sand, water

    /// The caption word.
    public var word: String { rawValue }
}

/// The size class of an object, from its radius relative to the image.
public enum WorldSize: String, Sendable, CaseIterable, Codable {
    case small, medium, large

    /// The caption word (`nil` for medium).
    public var word: String? { self == .medium ? nil : rawValue }
}
