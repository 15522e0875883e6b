# ftservices backup and restore helpers, sourced by /usr/local/lib/ftservices/backup and .../restore of each
# stateful image (docs/DESIGN.md, "Backup scripts (in the images)"). They run as root in the running container,
# whose root filesystem is read-only: staging goes to hidden names inside the service's own volume, never to
# the small /tmp tmpfs. Messages go to stderr only: a backup's stdout is its data.

# Hidden names inside a volume that a restore stages in; never part of a backup, and removed by the next
# restore when an interrupted one left them behind.
FTS_RESTORE_NEW=.ftservices-restore.new
FTS_RESTORE_OLD=.ftservices-restore.old

fts_backup_log() { printf 'ftservices %s: %s\n' "${FTS_BACKUP_WHAT:-backup}" "$*" >&2; }
fts_backup_fail() { fts_backup_log "$*"; exit 1; }

# fts_backup_begin WHAT: names the messages ("mysql backup") and takes the container's backup lock, so that
# one backup or restore runs at a time in it (a second one fails at once, saying so).
fts_backup_begin() {
    FTS_BACKUP_WHAT=$1
    exec 9>/tmp/ftservices-backup.lock || fts_backup_fail "cannot open the lock file /tmp/ftservices-backup.lock"
    flock -n 9 || fts_backup_fail "another backup or restore is running in this container; try again when it is done"
}

# fts_tar_directory DIR: DIR's contents as a tar on stdout: entries relative (./...), dotfiles included, numeric
# owners, modes and times kept; a restore's staging directories left out.
fts_tar_directory() {
    local dir=$1 status=0
    [ -d "$dir" ] || fts_backup_fail "$dir is missing: is the volume mounted?"
    tar -C "$dir" --numeric-owner --anchored --exclude="./$FTS_RESTORE_NEW" --exclude="./$FTS_RESTORE_OLD" \
        -cf - . || status=$?
    case $status in
        0) ;;
        1) fts_backup_fail "files in $dir changed while tar read them (see above), so the archive matches no single moment: run the backup again" ;;
        *) fts_backup_fail "tar of $dir failed (exit $status, see above)" ;;
    esac
}

# fts_restore_directory DIR: replaces DIR's contents with the tar on stdin (as fts_tar_directory wrote it).
# The archive is extracted into a hidden directory inside DIR first, so a stream tar cannot read leaves the
# data as it was; then the current entries are moved aside and the extracted ones moved in (renames within
# one filesystem), and the old ones removed. DIR itself (a volume's mount point) keeps its owner and mode.
fts_restore_directory() {
    local dir=$1 new=$1/$FTS_RESTORE_NEW old=$1/$FTS_RESTORE_OLD
    [ -d "$dir" ] || fts_backup_fail "$dir is missing: is the volume mounted?"
    rm -rf "$new" "$old"
    install -d -m 0700 "$new" "$old"
    if ! tar -C "$new" --numeric-owner --same-owner --same-permissions -xf -; then
        rm -rf "$new" "$old"
        fts_backup_fail "the archive on stdin could not be extracted (see above); $dir is unchanged"
    fi
    find "$dir" -mindepth 1 -maxdepth 1 ! -name "$FTS_RESTORE_NEW" ! -name "$FTS_RESTORE_OLD" -exec mv -t "$old" -- {} + \
        || fts_backup_fail "moving the current contents of $dir aside into $old failed (see above); run the restore again"
    find "$new" -mindepth 1 -maxdepth 1 -exec mv -t "$dir" -- {} + \
        || fts_backup_fail "moving the restored contents from $new into $dir failed (see above); run the restore again"
    rm -rf "$new" "$old"
}
