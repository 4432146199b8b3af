"""The one place checks are registered, in the order they run and are reported.

A new check is one module in `verify/checks/` plus one line here.
"""

from __future__ import annotations

from veracity.verify.base import Check
from veracity.verify.checks.camera_clusters import CameraClusters
from veracity.verify.checks.document_near_duplicates import DocumentNearDuplicates
from veracity.verify.checks.file_type_mismatch import FileTypeMismatch
from veracity.verify.checks.id_birth_date import IdBirthDate
from veracity.verify.checks.id_check_character import IdCheckCharacter
from veracity.verify.checks.id_malformed import IdMalformed
from veracity.verify.checks.id_region import IdRegion
from veracity.verify.checks.id_sex import IdSex
from veracity.verify.checks.id_shared import IdShared
from veracity.verify.checks.identical_files import IdenticalFiles
from veracity.verify.checks.impossible_dates import ImpossibleDates
from veracity.verify.checks.near_duplicate_photos import NearDuplicatePhotos
from veracity.verify.checks.office_created_after_modified import OfficeCreatedAfterModified
from veracity.verify.checks.office_edit_time import OfficeEditTime
from veracity.verify.checks.office_version_anachronism import OfficeVersionAnachronism
from veracity.verify.checks.pdf_incremental_updates import PdfIncrementalUpdates
from veracity.verify.checks.photo_editing_software import PhotoEditingSoftware
from veracity.verify.checks.photo_gps_clusters import PhotoGpsClusters
from veracity.verify.checks.photo_gps_outlier import PhotoGpsOutlier
from veracity.verify.checks.photo_gps_time import PhotoGpsTime
from veracity.verify.checks.photo_modify_before_original import PhotoModifyBeforeOriginal
from veracity.verify.checks.photo_outside_span import PhotoOutsideSpan
from veracity.verify.checks.photo_quantization_editor import PhotoQuantizationEditor
from veracity.verify.checks.photo_thumbnail_mismatch import PhotoThumbnailMismatch
from veracity.verify.checks.photo_time_travel import PhotoTimeTravel
from veracity.verify.checks.reference_passages import ReferencePassages
from veracity.verify.checks.reference_photos import ReferencePhotos
from veracity.verify.checks.register_distributions import RegisterDistributions
from veracity.verify.checks.register_region import RegisterRegion

CHECKS: tuple[type[Check], ...] = (
    IdenticalFiles,
    FileTypeMismatch,
    NearDuplicatePhotos,
    DocumentNearDuplicates,
    ReferencePassages,
    ReferencePhotos,
    CameraClusters,
    PhotoTimeTravel,
    PhotoOutsideSpan,
    IdMalformed,
    IdCheckCharacter,
    IdBirthDate,
    IdSex,
    IdRegion,
    ImpossibleDates,
    IdShared,
    RegisterRegion,
    RegisterDistributions,
    PhotoEditingSoftware,
    PhotoThumbnailMismatch,
    PhotoGpsTime,
    PhotoModifyBeforeOriginal,
    PhotoGpsOutlier,
    PhotoGpsClusters,
    PhotoQuantizationEditor,
    OfficeCreatedAfterModified,
    OfficeVersionAnachronism,
    OfficeEditTime,
    PdfIncrementalUpdates,
)
