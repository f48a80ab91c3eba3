"""Exchange: exports of every list to CSV and XLSX, and imports of enterprises, contacts and projects."""
