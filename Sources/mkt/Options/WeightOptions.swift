import ArgumentParser
import Foundation
import MKTCLIP
import MKTFormats
import MKTStudent
import MKTTensor

/// How a command loads model weights: NaN or infinity in a weight file is refused unless
/// `--allow-nonfinite` is given, which loads it with a warning line naming the tensors.
struct WeightOptions: ParsableArguments {
    @Flag(help: "Load model weights holding NaN or infinity (refused otherwise), with a warning line naming them.")
    var allowNonfinite = false

    /// The CLIP model in `directory`, with only `towers` built, at `precision` (bf16: the
    /// affine weights rounded as they are read, for inference).
    func clip(_ directory: String, towers: [CLIPTower] = CLIPTower.allCases, precision: Precision = .f32) throws -> CLIPModel {
        warnAboutNonfiniteWeights(directory)
        return try CLIPModel.load(directory: directory, towers: towers, allowingNonfinite: allowNonfinite, precision: precision)
    }

    /// The two-stream student of the model (CLIP or student folder) in `directory`, at `precision`.
    func student(_ directory: String, precision: Precision = .f32) throws -> TwoStreamStudent {
        warnAboutNonfiniteWeights(directory)
        return try TwoStreamStudent.load(directory: directory, allowingNonfinite: allowNonfinite, precision: precision)
    }

    private func warnAboutNonfiniteWeights(_ directory: String) {
        guard allowNonfinite else { return }
        let folder = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard let weights = try? CLIPModel.weights(in: folder) else { return }
        let (path, names) = (weights.path, weights.nonfiniteTensors())
        guard let first = names.first else { return }
        let more = names.count > 1 ? " and \(names.count - 1) more" : ""
        FileHandle.standardError.write(Data("warning: \(path): tensor '\(first)'\(more) hold NaN or infinity; loaded because of --allow-nonfinite\n".utf8))
    }
}
