namespace AnalyticsHub.Expressions;

/// <summary>The catalogue of <see cref="ExpressionError.Code"/> values.</summary>
public static class ExpressionErrorCodes
{
    /// <summary>The text is longer than <see cref="ExpressionLimits.MaxLength"/>.</summary>
    public const string TooLong = "expression_too_long";

    /// <summary>Parentheses, unary operators, calls or lists nest deeper than <see cref="ExpressionLimits.MaxDepth"/>, or the tree is taller than <see cref="ExpressionLimits.MaxTreeHeight"/>.</summary>
    public const string TooDeep = "expression_too_deep";

    /// <summary>The text is empty or only whitespace.</summary>
    public const string Empty = "empty_expression";

    /// <summary>A character that starts no token.</summary>
    public const string UnexpectedCharacter = "unexpected_character";

    /// <summary>A token where another was expected.</summary>
    public const string UnexpectedToken = "unexpected_token";

    /// <summary>The text ends where more was expected.</summary>
    public const string UnexpectedEnd = "unexpected_end";

    /// <summary>A string literal without its closing quote.</summary>
    public const string UnterminatedString = "unterminated_string";

    /// <summary>An unknown escape sequence in a string literal.</summary>
    public const string InvalidEscape = "invalid_escape";

    /// <summary>A string literal longer than <see cref="ExpressionLimits.MaxStringLength"/>.</summary>
    public const string StringTooLong = "string_too_long";

    /// <summary>A malformed number literal, or one longer than <see cref="ExpressionLimits.MaxNumberLength"/> characters.</summary>
    public const string InvalidNumber = "invalid_number";

    /// <summary>A number literal too large for a 64-bit float (e.g. <c>1e400</c>).</summary>
    public const string NumberOutOfRange = "number_out_of_range";

    /// <summary>A list with more than <see cref="ExpressionLimits.MaxListLength"/> items or a call with too many arguments.</summary>
    public const string ListTooLong = "list_too_long";

    /// <summary>A call of a function the language does not have.</summary>
    public const string UnknownFunction = "unknown_function";

    /// <summary>A function called with the wrong number of arguments.</summary>
    public const string WrongArity = "wrong_arity";

    /// <summary>A field path that names no field (of the declared payload kind, when one is given) and no variable.</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>A payload kind in the compile options that is neither a payload family nor a variant.</summary>
    public const string UnknownPayloadKind = "unknown_payload_kind";

    /// <summary>A string compared with an enum field that is none of the enum's wire names.</summary>
    public const string UnknownEnumValue = "unknown_enum_value";

    /// <summary>Operands whose types can never fit the operator (e.g. a string compared with a number).</summary>
    public const string TypeMismatch = "type_mismatch";

    /// <summary>An ordering comparison (<c>&lt;</c> ...) of values that have no order, such as an unordered enum or booleans.</summary>
    public const string NotOrdered = "not_ordered";
}
