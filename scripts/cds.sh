# Sourced by run.sh and scripts/benchmark.sh: class-data sharing for the packaged jar, so the service
# starts faster. The first run writes an archive of the classes it loaded when it stops; later runs map
# that archive instead of loading and verifying those classes again. The JVM accepts an archive only for
# the very jar file it was made from (same size and modification time), and every build rewrites
# payhook.jar, so the service runs from a copy that is replaced only when the jar's content changes.
# Everything lives in app/target/cds/, which a clean build removes.

payhook_cds_dir=app/target/cds

# Sets PAYHOOK_JAR to the jar to run and PAYHOOK_CDS_OPTS to the JVM options that use (or on first run
# create) its archive. -Xlog:cds=off keeps the notes about classes left out of the archive off the console.
payhook_cds_prepare() {
  mkdir -p "$payhook_cds_dir"
  if ! cmp -s app/target/payhook.jar "$payhook_cds_dir/payhook.jar"; then
    cp app/target/payhook.jar "$payhook_cds_dir/payhook.jar"
    rm -f "$payhook_cds_dir/payhook.jsa"
  fi
  PAYHOOK_JAR="$payhook_cds_dir/payhook.jar"
  PAYHOOK_CDS_OPTS="-XX:SharedArchiveFile=$payhook_cds_dir/payhook.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off"
}
