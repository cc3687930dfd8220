//! The mock's SDL, snapshotted so that schema drift shows in review.

use crate::schema::schema;

#[test]
fn the_sdl_is_what_review_last_accepted() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("sdl", schema().sdl());
    });
}
