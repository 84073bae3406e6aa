import Foundation

/// Locates the reference fixtures committed under `Tests/Fixtures`.
///
/// The fixtures are the public reference set (see `Tests/Fixtures/REFERENCE.md` for how each
/// file was made with PyTorch, `transformers`, Pillow and open_clip). They are found relative to
/// this source file, so tests work from any working directory and in any build configuration.
public enum Fixtures {
    /// The absolute path of the `Tests/Fixtures` folder.
    public static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
    }()

    /// The absolute path of a fixture file, e.g. `Fixtures.path("tiny-clip/model.safetensors")`.
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }

    /// A fresh, empty temporary directory for a test's outputs.
    public static func temporaryDirectory(_ name: String = "mkt-test") -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
