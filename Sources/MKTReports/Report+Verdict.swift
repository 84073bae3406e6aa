import Foundation
import MKTMetrics

extension Report {
    /// The report's first paragraph, answering "did it work?" in numbers, one sentence per item:
    ///
    /// - the last method (the method under test) in each setting: mAP, the difference from the
    ///   first method (the baseline) and mAP over chance, e.g. `MKT: ZSL mAP 87.6, +1.5 over CLIP
    ///   zero-shot, 3.9× chance; GZSL mAP 63.6, +4.0 over CLIP zero-shot, 5.1× chance.`;
    /// - whether it beats the baseline (rounded to 0.1 points);
    /// - the methods in between, as differences from the baseline;
    /// - each method that has a global-only ablation (a method named `M, global only`, see
    ///   ``globalOnlySuffix``): its two-stream mAP against the global-only one;
    /// - the seen labels of the GZSL results: each method's mAP over them beside their chance
    ///   level (is what the student is trained on learned at all?);
    /// - the chance level (the mean positive rate of the labels scored) of each setting;
    /// - the time behind each method's scores, when ``methodSeconds`` has them.
    ///
    /// Values ×100; empty without runs.
    public var verdict: [String] {
        let t = table
        guard let final = t.methods.last, let baseline = t.methods.first else { return [] }
        let settings = t.settings.filter { t.result(final, $0) != nil }
        var sentences: [String] = []
        let parts = settings.map { setting -> String in
            let r = t.result(final, setting)!
            var part = "\(ResultsTable.displayName(setting)) mAP \(Self.points(r.meanAP))"
            if final != baseline, let b = t.result(baseline, setting) {
                part += ", \(Self.signed(r.meanAP - b.meanAP)) over \(baseline)"
            }
            if let times = r.timesChance { part += String(format: ", %.1f× chance", times) }
            return part
        }
        if !parts.isEmpty { sentences.append("\(final): " + parts.joined(separator: "; ") + ".") }
        if final != baseline {
            var beats: [String] = [], ties: [String] = [], trails: [String] = []
            for setting in settings {
                guard let b = t.result(baseline, setting) else { continue }
                let delta = ((t.result(final, setting)!.meanAP - b.meanAP) * 1000).rounded()
                let name = ResultsTable.displayName(setting)
                if delta > 0 { beats.append(name) } else if delta < 0 { trails.append(name) } else { ties.append(name) }
            }
            var clauses: [String] = []
            if !beats.isEmpty { clauses.append("beats \(baseline) in \(Self.list(beats)) mAP") }
            if !ties.isEmpty { clauses.append("ties with \(baseline) in \(Self.list(ties)) mAP") }
            if !trails.isEmpty { clauses.append("does not beat \(baseline) in \(Self.list(trails)) mAP") }
            if !clauses.isEmpty { sentences.append("\(final) " + clauses.joined(separator: "; it ") + ".") }
        }
        for method in t.methods.dropFirst().dropLast() {
            let deltas = t.settings.compactMap { setting -> String? in
                guard let r = t.result(method, setting), let b = t.result(baseline, setting) else { return nil }
                return "\(ResultsTable.displayName(setting)) mAP \(Self.points(r.meanAP)) (\(Self.signed(r.meanAP - b.meanAP)))"
            }
            if !deltas.isEmpty { sentences.append("\(method): " + deltas.joined(separator: ", ") + ".") }
        }
        for method in t.methods {
            let ablation = method + Self.globalOnlySuffix
            guard t.methods.contains(ablation) else { continue }
            let deltas = t.settings.compactMap { setting -> String? in
                guard let r = t.result(method, setting), let g = t.result(ablation, setting) else { return nil }
                return "\(ResultsTable.displayName(setting)) mAP \(Self.points(r.meanAP)) vs \(Self.points(g.meanAP)) (\(Self.signed(r.meanAP - g.meanAP)))"
            }
            if !deltas.isEmpty { sentences.append("Two streams against the global stream alone (\(ablation)): " + deltas.joined(separator: ", ") + ".") }
        }
        for setting in t.settings {
            let parts = t.methods.compactMap { method -> (String, Double, Double)? in
                guard let r = t.result(method, setting), let mAP = r.seenUnseenMeanAP?.seen, let chance = r.seenUnseenChance?.seen else { return nil }
                return (method, mAP, chance)
            }
            guard let first = parts.first, let count = t.result(first.0, setting)?.seenLabelCount else { continue }
            sentences.append("Seen labels in \(ResultsTable.displayName(setting)) (the \(count) labels of the training annotations; chance \(Self.points(first.2))): "
                + parts.map { String(format: "%@ mAP %@ (%.1f× chance)", $0.0, Self.points($0.1), $0.1 / max($0.2, 1e-12)) }.joined(separator: ", ") + ".")
        }
        let chances = t.settings.compactMap { setting -> String? in
            let levels = t.methods.compactMap { t.result($0, setting)?.chance }
            guard let first = levels.first else { return nil }
            let same = levels.allSatisfy { abs($0 - first) < 1e-12 }
            return "\(ResultsTable.displayName(setting)) \(same ? Self.points(first) : "\(Self.points(levels.min()!))–\(Self.points(levels.max()!))")"
        }
        if !chances.isEmpty {
            sentences.append("Chance (the mean positive rate of the labels scored): " + chances.joined(separator: ", ") + ".")
        }
        let times = t.methods.compactMap { method in methodSeconds[method].map { "\(method) \(Self.duration($0))" } }
        if !times.isEmpty {
            sentences.append("Time behind each method's scores (every stage it needs, training included): " + times.joined(separator: ", ") + ".")
        }
        return sentences
    }

    /// The name suffix of a method's global-only ablation: `MKT` and `MKT, global only`.
    public static let globalOnlySuffix = ", global only"

    /// A fraction as points ×100 with one decimal: `87.6`.
    static func points(_ x: Double) -> String { String(format: "%.1f", x * 100) }

    /// A difference of fractions as signed points ×100: `+1.5`, `−0.4`.
    static func signed(_ x: Double) -> String {
        let s = String(format: "%+.1f", x * 100)
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// Seconds as `42 s` or `3 min 07 s`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : String(format: "%d min %02d s", s / 60, s % 60)
    }
}
