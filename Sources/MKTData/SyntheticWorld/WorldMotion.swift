/// What an object of a synthetic video does over its clip: the classes of the video world.
///
/// Each pair (left/right, up/down, clockwise/counterclockwise, growing/shrinking) shows the same
/// set of frames in opposite orders, so only the order of the frames tells its two classes
/// apart; blinking shows the object in every other frame.
public enum WorldMotion: String, Sendable, CaseIterable, Codable {
    case movingLeft = "moving left"
    case movingRight = "moving right"
    case movingUp = "moving up"
    case movingDown = "moving down"
    case rotatingClockwise = "rotating clockwise"
    case rotatingCounterclockwise = "rotating counterclockwise"
    case growing
    case shrinking
    case blinking

    /// The caption phrase and class name.
    public var phrase: String { rawValue }

    /// The words of the phrase (for the tokenizer's vocabulary checks and captions).
    public var words: [String] { phrase.split(separator: " ").map(String.init) }
}
