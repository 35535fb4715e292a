# Sourced by scripts/payhook and scripts/benchmark.sh: class-data sharing for the packaged jar, so the service
# starts faster. The first run writes an archive of the classes it loaded when it stops; later runs map
# that archive instead of loading and verifying those classes again. The JVM accepts an archive only for
# the very jar file it was made from (same size and modification time), and every build rewrites
# payhook.jar, so the service runs from a copy that is replaced only when the jar's content changes.
# Everything lives in app/target/cds/, which a clean build removes.

payhook_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
payhook_cds_dir="$payhook_root/app/target/cds"

# Sets PAYHOOK_JAR to the jar to run and PAYHOOK_CDS_OPTS to the JVM options that use (or on first run
# create) its archive. -Xlog:cds=off keeps the notes about classes left out of the archive off the console.
payhook_cds_prepare() {
  mkdir -p "$payhook_cds_dir"
  if ! cmp -s "$payhook_root/app/target/payhook.jar" "$payhook_cds_dir/payhook.jar"; then
    # A fresh file renamed into place: a service still running the old copy keeps reading the old file.
    cp "$payhook_root/app/target/payhook.jar" "$payhook_cds_dir/payhook.jar.$$"
    mv -f "$payhook_cds_dir/payhook.jar.$$" "$payhook_cds_dir/payhook.jar"
    rm -f "$payhook_cds_dir/payhook.jsa"
  fi
  PAYHOOK_JAR="$payhook_cds_dir/payhook.jar"
  PAYHOOK_CDS_OPTS="-XX:SharedArchiveFile=$payhook_cds_dir/payhook.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off"
}
