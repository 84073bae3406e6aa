import Foundation
import MKTFormats
import MKTSupport
import MKTTensor

/// A corpus' text embeddings kept in an `.npy` file between runs (e.g. a σ sweep over one
/// corpus), with a key file beside it (`FILE.npy.key`) naming what they were computed from
/// (the caller's hash of the teacher and the sentences).
public enum TextEmbeddingCache {
    /// The embeddings [rows, D] stored at `path` under `key`, or `compute()`'s, then stored
    /// there. A file with another key or shape is recomputed and replaced.
    /// - Returns: the embeddings and whether they came from the file.
    /// - Throws: what `compute` throws; ``MKTFormats/FormatError`` or a write error for the files.
    public static func embeddings(at path: String, key: String, rows: Int,
                                  compute: () throws -> Tensor) throws -> (embeddings: Tensor, reused: Bool) {
        let keyPath = path + ".key"
        if let stored = try? String(contentsOfFile: keyPath, encoding: .utf8), stored == key, InputFile.problem(path) == nil {
            let array = try NpyArray.read(path)
            if array.shape.count == 2 && array.shape[0] == rows {
                return (Tensor(shape: array.shape, scalars: array.floats()), true)
            }
        }
        let embeddings = try compute()                                                          // [rows, D]
        try NpyArray(floats: embeddings.scalars, shape: embeddings.shape).write(to: path)
        try AtomicFile.write(Data(key.utf8), to: keyPath)
        return (embeddings, false)
    }
}
