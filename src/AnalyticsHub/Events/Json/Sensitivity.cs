namespace AnalyticsHub.Events.Json;

/// <summary>What a payload field can hold, which decides how redaction treats it.</summary>
internal enum Sensitivity : byte
{
    /// <summary>Not text a producer writes freely (a number, flag or closed enum): never scanned.</summary>
    None,

    /// <summary>
    /// Identifies a person or host that security analysis keys on (<c>user_id</c>, <c>source_ip</c>,
    /// <c>ip_address</c>): scanned by every rule except those that spare identifiers (the built-in
    /// e-mail and IP-address rules), unless a rule names its path.
    /// </summary>
    Identifier,

    /// <summary>A short value the producer chose (an id, name, label or list item): scanned by every rule; may become a tag.</summary>
    Content,

    /// <summary>Prose written by people or models (descriptions, reasons, evidence): scanned by every rule; never a tag.</summary>
    FreeText,

    /// <summary>Sensitive whatever it holds: replaced whole by every redaction that runs, whether or not a rule matches.</summary>
    Secret,
}
