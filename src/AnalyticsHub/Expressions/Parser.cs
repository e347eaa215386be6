using System.Globalization;
using System.Text;
using AnalyticsHub.Events;

namespace AnalyticsHub.Expressions;

/// <summary>
/// A recursive-descent parser with a scanner built in. Recursion happens only through nesting
/// (parentheses, unary operators, calls, lists), which is counted against
/// <see cref="ExpressionLimits.MaxDepth"/>; binary chains are loops whose tree height is checked
/// against <see cref="ExpressionLimits.MaxTreeHeight"/>. The first error stops the parse.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly ExpressionLimits _limits;
    private readonly StringBuilder _buffer = new();
    private int _pos;
    private int _depth;

    private TokenKind _kind;
    private int _tokenStart;
    private string? _tokenText;
    private double _tokenNumber;

    private Parser(string text, ExpressionLimits limits)
    {
        _text = text;
        _limits = limits;
    }

    public static ExpressionResult<Expression> Parse(string text, ExpressionLimits limits)
    {
        if (text.Length > limits.MaxLength)
        {
            return Fail(text, limits.MaxLength, ProblemCodes.TooLong,
                string.Create(CultureInfo.InvariantCulture, $"The expression is {text.Length} characters long; at most {limits.MaxLength} are allowed."));
        }

        var parser = new Parser(text, limits);
        try
        {
            return new ExpressionResult<Expression>(parser.ParseFormula(), []);
        }
        catch (SyntaxException e)
        {
            return Fail(text, e.Position, e.Code, e.Message);
        }
    }

    private static ExpressionResult<Expression> Fail(string text, int position, string code, string message) =>
        new(null, [ExpressionProblems.At(text, position, code, message)]);

    private Expression ParseFormula()
    {
        Next();
        if (_kind == TokenKind.End)
        {
            throw new SyntaxException(_tokenStart, ProblemCodes.Empty, "The expression is empty.");
        }

        string? name = null;
        if (_kind == TokenKind.Identifier)
        {
            // A formula may start with "name =": look ahead past the identifier for a lone '='.
            var save = (_pos, _kind, _tokenStart, _tokenText);
            Next();
            if (_kind == TokenKind.Assign)
            {
                name = save._tokenText;
                Next();
            }
            else
            {
                (_pos, _kind, _tokenStart, _tokenText) = save;
            }
        }

        var root = ParseOr();
        if (_kind != TokenKind.End)
        {
            throw Unexpected("an operator or the end of the expression");
        }

        return new Expression(_text, name, root);
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (_kind == TokenKind.OrOr)
        {
            var at = _tokenStart;
            Next();
            left = Binary(BinaryOperator.Or, left, ParseAnd(), at);
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseEquality();
        while (_kind == TokenKind.AndAnd)
        {
            var at = _tokenStart;
            Next();
            left = Binary(BinaryOperator.And, left, ParseEquality(), at);
        }

        return left;
    }

    private ExpressionNode ParseEquality()
    {
        var left = ParseRelation();
        while (_kind is TokenKind.EqualEqual or TokenKind.BangEqual)
        {
            var op = _kind == TokenKind.EqualEqual ? BinaryOperator.Equal : BinaryOperator.NotEqual;
            var at = _tokenStart;
            Next();
            left = Binary(op, left, ParseRelation(), at);
        }

        return left;
    }

    private ExpressionNode ParseRelation()
    {
        var left = ParseAdditive();
        while (true)
        {
            BinaryOperator op;
            switch (_kind)
            {
                case TokenKind.Less: op = BinaryOperator.Less; break;
                case TokenKind.LessEqual: op = BinaryOperator.LessOrEqual; break;
                case TokenKind.Greater: op = BinaryOperator.Greater; break;
                case TokenKind.GreaterEqual: op = BinaryOperator.GreaterOrEqual; break;
                case TokenKind.In:
                    {
                        var inAt = _tokenStart;
                        Next();
                        if (_kind != TokenKind.LeftBracket)
                        {
                            throw Unexpected("'[' to start the list after 'in'");
                        }

                        var items = ParseList(TokenKind.RightBracket, "']'");
                        left = CheckHeight(new InNode(left, items, inAt));
                        continue;
                    }

                default:
                    return left;
            }

            var at = _tokenStart;
            Next();
            left = Binary(op, left, ParseAdditive(), at);
        }
    }

    private ExpressionNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (_kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = _kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            var at = _tokenStart;
            Next();
            left = Binary(op, left, ParseMultiplicative(), at);
        }

        return left;
    }

    private ExpressionNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (_kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = _kind switch
            {
                TokenKind.Star => BinaryOperator.Multiply,
                TokenKind.Slash => BinaryOperator.Divide,
                _ => BinaryOperator.Modulo,
            };
            var at = _tokenStart;
            Next();
            left = Binary(op, left, ParseUnary(), at);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (_kind is TokenKind.Minus or TokenKind.Bang)
        {
            var op = _kind == TokenKind.Minus ? UnaryOperator.Negate : UnaryOperator.Not;
            var at = _tokenStart;
            Enter(at);
            Next();
            var operand = ParseUnary();
            _depth--;
            return CheckHeight(new UnaryNode(op, operand, at));
        }

        return ParsePrimary();
    }

    private ExpressionNode ParsePrimary()
    {
        var at = _tokenStart;
        switch (_kind)
        {
            case TokenKind.Number:
                {
                    var value = Value.FromNumber(_tokenNumber);
                    Next();
                    return new LiteralNode(value, at);
                }

            case TokenKind.String:
                {
                    var value = Value.FromString(_tokenText);
                    Next();
                    return new LiteralNode(value, at);
                }

            case TokenKind.True:
                Next();
                return new LiteralNode(Value.True, at);
            case TokenKind.False:
                Next();
                return new LiteralNode(Value.False, at);
            case TokenKind.Null:
                Next();
                return new LiteralNode(Value.Null, at);
            case TokenKind.LeftParen:
                {
                    Enter(at);
                    Next();
                    var inner = ParseOr();
                    Expect(TokenKind.RightParen, "')'");
                    _depth--;
                    return inner;
                }

            case TokenKind.Identifier:
                return ParseIdentifier();
            case TokenKind.End:
                throw new SyntaxException(_tokenStart, ProblemCodes.UnexpectedEnd, "The expression ends where a value was expected.");
            default:
                throw Unexpected("a value");
        }
    }

    private ExpressionNode ParseIdentifier()
    {
        var at = _tokenStart;
        var first = _tokenText!;
        Next();
        if (_kind == TokenKind.LeftParen)
        {
            var arguments = ParseList(TokenKind.RightParen, "')'");
            return CheckHeight(new CallNode(first, arguments, at));
        }

        if (_kind is not (TokenKind.Dot or TokenKind.LeftBracket))
        {
            return new FieldNode([first], at);
        }

        var segments = new List<string> { first };
        while (true)
        {
            if (_kind == TokenKind.Dot)
            {
                Next();
                if (!IsName(_kind))
                {
                    throw Unexpected("a field name after '.'");
                }

                segments.Add(_tokenText ?? KeywordText(_kind));
                Next();
            }
            else if (_kind == TokenKind.LeftBracket)
            {
                Next();
                if (_kind != TokenKind.String)
                {
                    throw Unexpected("a quoted key inside '[...]' of a field path");
                }

                segments.Add(_tokenText!);
                Next();
                Expect(TokenKind.RightBracket, "']'");
            }
            else
            {
                return new FieldNode(segments, at);
            }

            if (segments.Count > _limits.MaxDepth)
            {
                throw new SyntaxException(at, ProblemCodes.TooDeep,
                    string.Create(CultureInfo.InvariantCulture, $"The field path has more than {_limits.MaxDepth} segments."));
            }
        }
    }

    /// <summary>Parses <c>( a, b )</c> or <c>[ a, b ]</c>; the current token is the opening one.</summary>
    private List<ExpressionNode> ParseList(TokenKind close, string closeText)
    {
        Enter(_tokenStart);
        Next();
        var items = new List<ExpressionNode>();
        if (_kind != close)
        {
            while (true)
            {
                if (items.Count == _limits.MaxListLength)
                {
                    throw new SyntaxException(_tokenStart, ProblemCodes.ListTooLong,
                        string.Create(CultureInfo.InvariantCulture, $"A list or call has more than {_limits.MaxListLength} items."));
                }

                items.Add(ParseOr());
                if (_kind != TokenKind.Comma)
                {
                    break;
                }

                Next();
            }
        }

        Expect(close, closeText);
        _depth--;
        return items;
    }

    private BinaryNode Binary(BinaryOperator op, ExpressionNode left, ExpressionNode right, int at) =>
        CheckHeight(new BinaryNode(op, left, right, at));

    private T CheckHeight<T>(T node)
        where T : ExpressionNode
    {
        if (node.Height > _limits.MaxTreeHeight)
        {
            throw new SyntaxException(node.Position, ProblemCodes.TooDeep,
                string.Create(CultureInfo.InvariantCulture, $"The expression's tree is taller than {_limits.MaxTreeHeight} levels; split it up."));
        }

        return node;
    }

    private void Enter(int at)
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw new SyntaxException(at, ProblemCodes.TooDeep,
                string.Create(CultureInfo.InvariantCulture, $"Parentheses, operators, calls or lists nest deeper than {_limits.MaxDepth} levels."));
        }
    }

    private void Expect(TokenKind kind, string what)
    {
        if (_kind != kind)
        {
            throw Unexpected(what);
        }

        Next();
    }

    private SyntaxException Unexpected(string expected) =>
        _kind == TokenKind.End
            ? new SyntaxException(_tokenStart, ProblemCodes.UnexpectedEnd, $"The expression ends where {expected} was expected.")
            : new SyntaxException(_tokenStart, ProblemCodes.UnexpectedToken, $"Expected {expected} but found {Describe()}.");

    private string Describe()
    {
        var length = Math.Min(Math.Max(_pos - _tokenStart, 1), 32);
        return string.Concat("'", _text.AsSpan(_tokenStart, Math.Min(length, _text.Length - _tokenStart)), "'");
    }

    private static bool IsName(TokenKind kind) =>
        kind is TokenKind.Identifier or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.In;

    private static string KeywordText(TokenKind kind) => kind switch
    {
        TokenKind.True => "true",
        TokenKind.False => "false",
        TokenKind.Null => "null",
        _ => "in",
    };

    internal static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    internal static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void Next()
    {
        var text = _text;
        while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\r' or '\n')
        {
            _pos++;
        }

        _tokenStart = _pos;
        _tokenText = null;
        if (_pos >= text.Length)
        {
            _kind = TokenKind.End;
            return;
        }

        var c = text[_pos];
        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < text.Length && char.IsAsciiDigit(text[_pos + 1])))
        {
            ScanNumber();
            return;
        }

        if (IsIdentifierStart(c))
        {
            var end = _pos + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }

            var word = text.AsSpan(_pos, end - _pos);
            _pos = end;
            _kind = word switch
            {
                "true" => TokenKind.True,
                "false" => TokenKind.False,
                "null" => TokenKind.Null,
                "in" => TokenKind.In,
                _ => TokenKind.Identifier,
            };
            if (_kind == TokenKind.Identifier)
            {
                _tokenText = word.ToString();
            }

            return;
        }

        if (c is '"' or '\'')
        {
            ScanString(c);
            return;
        }

        var next = _pos + 1 < text.Length ? text[_pos + 1] : '\0';
        (_kind, var length) = c switch
        {
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            ',' => (TokenKind.Comma, 1),
            '.' => (TokenKind.Dot, 1),
            '+' => (TokenKind.Plus, 1),
            '-' => (TokenKind.Minus, 1),
            '*' => (TokenKind.Star, 1),
            '/' => (TokenKind.Slash, 1),
            '%' => (TokenKind.Percent, 1),
            '!' when next == '=' => (TokenKind.BangEqual, 2),
            '!' => (TokenKind.Bang, 1),
            '=' when next == '=' => (TokenKind.EqualEqual, 2),
            '=' => (TokenKind.Assign, 1),
            '<' when next == '=' => (TokenKind.LessEqual, 2),
            '<' => (TokenKind.Less, 1),
            '>' when next == '=' => (TokenKind.GreaterEqual, 2),
            '>' => (TokenKind.Greater, 1),
            '&' when next == '&' => (TokenKind.AndAnd, 2),
            '|' when next == '|' => (TokenKind.OrOr, 2),
            _ => (TokenKind.End, 0),
        };
        if (length == 0)
        {
            var hint = c is '&' or '|' ? $" (did you mean '{c}{c}'?)" : string.Empty;
            var shown = char.IsControl(c) || char.IsSurrogate(c)
                ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
                : "'" + c + "'";
            throw new SyntaxException(_pos, ProblemCodes.UnexpectedCharacter, $"Unexpected character {shown}{hint}.");
        }

        _pos += length;
    }

    private void ScanNumber()
    {
        var text = _text;
        var end = _pos;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end < text.Length && text[end] == '.')
        {
            end++;
            var digits = end;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end == digits)
            {
                throw new SyntaxException(end, ProblemCodes.InvalidNumber, "Expected digits after the decimal point.");
            }
        }

        if (end < text.Length && text[end] is 'e' or 'E')
        {
            end++;
            if (end < text.Length && text[end] is '+' or '-')
            {
                end++;
            }

            var digits = end;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end == digits)
            {
                throw new SyntaxException(end, ProblemCodes.InvalidNumber, "Expected digits in the exponent.");
            }
        }

        if (end < text.Length && IsIdentifierPart(text[end]))
        {
            throw new SyntaxException(end, ProblemCodes.InvalidNumber, "A number must not run into letters.");
        }

        if (end - _pos > _limits.MaxNumberLength)
        {
            throw new SyntaxException(_pos, ProblemCodes.InvalidNumber,
                string.Create(CultureInfo.InvariantCulture, $"The number literal is {end - _pos} characters long; at most {_limits.MaxNumberLength} are allowed."));
        }

        var number = double.Parse(text.AsSpan(_pos, end - _pos), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw new SyntaxException(_pos, ProblemCodes.NumberOutOfRange, "The number is too large for a 64-bit float.");
        }

        _kind = TokenKind.Number;
        _tokenNumber = number;
        _pos = end;
    }

    private void ScanString(char quote)
    {
        var text = _text;
        var sb = _buffer.Clear();
        var i = _pos + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new SyntaxException(_pos, ProblemCodes.UnterminatedString, "The string literal has no closing quote.");
            }

            var c = text[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw new SyntaxException(_pos, ProblemCodes.UnterminatedString, "The string literal has no closing quote.");
                }

                var e = text[i + 1];
                switch (e)
                {
                    case '\\' or '"' or '\'' or '/': sb.Append(e); i += 2; break;
                    case 'n': sb.Append('\n'); i += 2; break;
                    case 't': sb.Append('\t'); i += 2; break;
                    case 'r': sb.Append('\r'); i += 2; break;
                    case 'u' when i + 6 <= text.Length
                        && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        i += 6;
                        break;
                    default:
                        throw new SyntaxException(i, ProblemCodes.InvalidEscape,
                            "Unknown escape sequence; use \\\\, \\\", \\', \\/, \\n, \\t, \\r or \\uXXXX.");
                }
            }
            else
            {
                sb.Append(c);
                i++;
            }

            if (sb.Length > _limits.MaxStringLength)
            {
                throw new SyntaxException(_pos, ProblemCodes.StringTooLong,
                    string.Create(CultureInfo.InvariantCulture, $"The string literal is longer than {_limits.MaxStringLength} characters."));
            }
        }

        _kind = TokenKind.String;
        _tokenText = sb.ToString();
        _pos = i;
    }

    private sealed class SyntaxException(int position, string code, string message) : Exception(message)
    {
        public int Position { get; } = position;

        public string Code { get; } = code;
    }
}
