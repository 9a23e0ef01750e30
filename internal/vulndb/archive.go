package vulndb

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"time"

	"github.com/ulikunitz/xz"
)

// maxEntrySize bounds one entry file; the largest entries of the public
// database are tens of kilobytes.
const maxEntrySize = 4 << 20

// ErrNoEntries is returned for an archive that holds no OSV entry: an
// empty database would find nothing, and so prove nothing.
var ErrNoEntries = errors.New("the archive holds no OSV entry")

// ReadArchive reads the OSV entries of an xz-compressed tar archive: every
// regular file whose name ends in .json, in any folder, is an entry named
// for its id (GO-YYYY-NNNN.json). Folders and other files are passed over;
// links and special files are an error. The whole xz stream is read, so a
// truncated or corrupted archive is an error, as are a malformed entry, an
// id found twice, and an archive without entries.
func ReadArchive(r io.Reader) (*Snapshot, error) {
	xr, err := xz.NewReader(bufio.NewReader(r))
	if err != nil {
		return nil, fmt.Errorf("reading xz: %w", err)
	}
	tr := tar.NewReader(xr)
	var (
		entries  []entry
		files    = map[string]string{} // id → file name
		fileTime time.Time
	)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tar: %w", err)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%s: not a regular file or folder (tar type %q)", strconv.Quote(h.Name), h.Typeflag)
		}
		if path.Ext(h.Name) != ".json" {
			continue
		}
		if h.Size > maxEntrySize {
			return nil, fmt.Errorf("%s: %d bytes, more than the %d an entry may have", strconv.Quote(h.Name), h.Size, maxEntrySize)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", strconv.Quote(h.Name), err)
		}
		e, err := parseEntry(h.Name, data)
		if err != nil {
			return nil, err
		}
		if prev, ok := files[e.id]; ok {
			return nil, fmt.Errorf("%s: entry %s is also in %s", strconv.Quote(h.Name), e.id, strconv.Quote(prev))
		}
		files[e.id] = h.Name
		entries = append(entries, e)
		if h.ModTime.After(fileTime) {
			fileTime = h.ModTime
		}
	}
	// The tar stream ends before the xz stream does: read the rest, so
	// that the xz index and footer, and their checks, are read too.
	if _, err := io.Copy(io.Discard, xr); err != nil {
		return nil, fmt.Errorf("reading xz: %w", err)
	}
	if len(entries) == 0 {
		return nil, ErrNoEntries
	}
	return newSnapshot(entries, fileTime), nil
}
