import ArgumentParser
import Foundation
import MKTData

extension ImageErrorPolicy: ExpressibleByArgument {}

/// `--on-error fail|skip` of the commands that read image lists.
struct ImageErrorOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        """
        What to do with an image that does not decode (missing, empty, truncated, corrupt, \
        unsupported, too large): fail (stop with its error, the default) or skip (leave it out and \
        go on; the skipped images are listed in skipped.txt beside the output, one \
        'index<TAB>path<TAB>reason' line each, and OUTPUT.rows.txt gives the 0-based list index of \
        each output row, one per line).
        """, valueName: "fail|skip"))
    var onError: ImageErrorPolicy = .fail

    /// The files to run on under `--on-error`.
    /// - Throws: ``OptionError`` when `skip` leaves no image.
    func screen(_ files: ImageFiles, list: String) throws -> ImageFileScreening {
        let screening = files.screened(policy: onError)
        if screening.kept.count == 0, let first = screening.skipped.first {
            throw OptionError("--on-error skip: none of the \(files.count) images of \(list) decodes "
                              + "(first: \(first.path): \(first.reason))")
        }
        return screening
    }

    /// Under `skip`, after the output is written: skipped.txt and OUTPUT.rows.txt beside `output`
    /// (when the command writes one) and a one-line summary on stderr.
    func report(_ screening: ImageFileScreening, output: String?) throws {
        guard onError == .skip else { return }
        var line = "skipped \(screening.skipped.count) of \(screening.rows.count + screening.skipped.count) images"
        if let output {
            try screening.write(besides: output)
            line += " (listed in \(ImageFileScreening.skippedFile(besides: output)); rows of \(output) in "
                + "\(ImageFileScreening.rowsFile(of: output)))"
        }
        if let first = screening.skipped.first {
            line += "; first: \(first.path): \(first.reason)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
