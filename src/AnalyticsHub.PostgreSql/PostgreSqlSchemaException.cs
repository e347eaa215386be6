namespace AnalyticsHub.PostgreSql;

/// <summary>The database's schema cannot be used by this version of the code (newer than it knows, or not migrated).</summary>
public sealed class PostgreSqlSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlSchemaException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public PostgreSqlSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
