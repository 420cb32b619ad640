namespace Cdc.Reconciler.Reporting;

/// <summary>Live progress of a run, updated by the comparer and read by the progress display and the metrics.</summary>
public sealed class RunProgress
{
    private readonly Lock _gate = new();
    private long _rangesBefore;
    private long _tableDone;
    private long _tableTotal;
    private long _rowsCompared;
    private long _rowsExpected;
    private long _rowsTransferred;

    public string? Table { get; set; }

    public long RangesDone
    {
        get
        {
            lock (_gate)
            {
                return _rangesBefore + _tableDone;
            }
        }
    }

    public long RangesTotal
    {
        get
        {
            lock (_gate)
            {
                return _rangesBefore + _tableTotal;
            }
        }
    }

    public long RowsCompared => Interlocked.Read(ref _rowsCompared);

    /// <summary>Estimated rows of all tables (planner statistics), for the estimated time left.</summary>
    public long RowsExpected => Interlocked.Read(ref _rowsExpected);

    /// <summary>Whole rows read for a row-by-row comparison (both sides).</summary>
    public long RowsTransferred => Interlocked.Read(ref _rowsTransferred);

    /// <summary>Share of the run done, 0..1, by rows.</summary>
    public double Fraction => RowsExpected <= 0 ? 0 : Math.Min(1, (double)RowsCompared / RowsExpected);

    /// <summary>The current table's chunks: done, and done plus the current estimate of those left.</summary>
    public void SetTableRanges(long done, long total)
    {
        lock (_gate)
        {
            _tableDone = done;
            _tableTotal = total;
        }
    }

    public void FinishTable()
    {
        lock (_gate)
        {
            _rangesBefore += _tableDone;
            _tableDone = 0;
            _tableTotal = 0;
        }
    }

    public void AddRows(long compared) => Interlocked.Add(ref _rowsCompared, compared);

    public void AddExpected(long rows) => Interlocked.Add(ref _rowsExpected, rows);

    public void AddTransferred(long rows) => Interlocked.Add(ref _rowsTransferred, rows);
}
