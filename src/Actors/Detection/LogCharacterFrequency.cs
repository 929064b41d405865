namespace NodeHealth.Actors.Detection;

/// <summary>
/// Roughly how often a character occurs in kernel and service logs (a fraction of all characters): lowercase text,
/// spaces, digits and ': ' are everywhere, capitals and most punctuation are rare. It only steers the literal
/// search's choices (which two characters anchor a literal, which anchors share a bucket); it never decides a match.
/// </summary>
internal static class LogCharacterFrequency
{
    public static double Of(char c) => c switch
    {
        ' ' => 0.15,
        'e' or 't' or 'a' or 'o' or 'i' or 'n' or 's' or 'r' => 0.05,
        >= 'a' and <= 'z' => 0.02,
        >= '0' and <= '9' => 0.02,
        ':' or '-' or '.' or ',' or '=' or '/' or '_' => 0.01,
        '(' or ')' or '[' or ']' => 0.005,
        >= 'A' and <= 'Z' => 0.003,
        _ => 0.001,
    };
}
